using Grpc.Core;
using Microsoft.Extensions.Options;
using Npgsql;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Outbox;
using PBServices.BuildingBlocks.Telemetry;
using PBServices.Grpc.Intake;
using PBServices.MinistrySubmission.Domain;

namespace PBServices.MinistrySubmission.Infrastructure;

public sealed class DecisionReceiverOptions
{
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>Wakes the decision receiver when a package was delivered: decisions may follow soon.</summary>
public sealed class DecisionPollSignal : WakeUpSignal;

/// <summary>
/// Pulls the Ministry's decisions from the national intake's stream, after the cursor this deployment stored. Each decision
/// is recorded, published as ProjectDecided through the outbox, audited and the cursor advanced in one transaction, so a
/// crash between two decisions loses nothing and a decision streamed again (same decision id) has no second effect. One
/// replica pulls at a time (an advisory lock); decisions on submissions this deployment does not have are skipped.
/// </summary>
public sealed class DecisionReceiver(
    UnitOfWorkFactory db,
    NpgsqlDataSource dataSource,
    MinistryIntake.MinistryIntakeClient intake,
    IntakeCredentials credentials,
    DecisionPollSignal signal,
    IOptions<DecisionReceiverOptions> options,
    IOptions<MinistryOptions> ministry,
    ILogger<DecisionReceiver> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PullAsync(stoppingToken);
                failures = 0;
            }
            catch (RpcException e) when (!stoppingToken.IsCancellationRequested)
            {
                if (e.StatusCode == StatusCode.Unauthenticated)
                {
                    credentials.Forget();
                }
                failures++;
                logger.LogWarning("Decisions not pulled from the intake ({Code}): {Detail}; will retry", e.StatusCode, e.Status.Detail);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                failures++;
                logger.LogWarning(e, "Decision pull failed; will retry");
            }
            await signal.WaitAsync(Backoff(failures), stoppingToken);
        }
    }

    /// <summary>The poll interval while the intake answers; doubling, up to a minute, while it does not, so it is not hammered.</summary>
    private TimeSpan Backoff(int failures)
    {
        var interval = options.Value.PollInterval;
        return failures == 0 ? interval : TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, interval.Ticks * (1L << Math.Min(failures, 10))));
    }

    /// <summary>Reads the stream to its end (the intake completes it once caught up); returns the decisions recorded.</summary>
    public async Task<int> PullAsync(CancellationToken ct)
    {
        using var quiet = TraceContext.Untraced();
        await using var lockConnection = await dataSource.OpenConnectionAsync(ct);
        if (!await lockConnection.TryLockDecisionStreamAsync(ct))
        {
            return 0;
        }
        try
        {
            long after;
            await using (var uow = await db.BeginAsync(ct))
            {
                after = await uow.GetDecisionCursorAsync(ct);
            }
            var headers = await credentials.HeadersAsync(ct);
            using var call = intake.StreamDecisions(new StreamDecisionsRequest { AfterSequence = after }, headers,
                deadline: DateTime.UtcNow.Add(ministry.Value.CallTimeout * 4), cancellationToken: ct);
            var recorded = 0;
            await foreach (var d in call.ResponseStream.ReadAllAsync(ct))
            {
                if (await ApplyAsync(d, ct))
                {
                    recorded++;
                }
            }
            return recorded;
        }
        finally
        {
            await lockConnection.UnlockDecisionStreamAsync();
        }
    }

    private async Task<bool> ApplyAsync(ProjectDecision d, CancellationToken ct)
    {
        // The poll is untraced, but a decision that arrives is the Ministry's act reaching this deployment: the root of its
        // trace here, as a request would be (the stream carries no trace context across the trust boundary).
        using var traced = TraceContext.Traced();
        using var activity = TraceContext.Source.StartActivity("ministry decision receive", System.Diagnostics.ActivityKind.Server);
        activity?.SetTag("pb.decision.id", d.DecisionId);
        await using var uow = await db.BeginAsync(ct);
        if (d.Sequence <= await uow.GetDecisionCursorAsync(ct))
        {
            return false;
        }
        var submission = MinistryDecision.SubmissionIdOf(d) is { } id ? await uow.FindDecidedSubmissionAsync(id, ct) : null;
        var (decision, ignored) = MinistryDecision.Accept(d, submission);
        var recorded = decision is not null && await uow.InsertDecisionAsync(decision, ct);
        if (decision is not null && recorded)
        {
            uow.Publish(decision.ToEvent());
            uow.Audit(Actor.System("ministry-submission", decision.Jurisdiction), $"decision.{decision.Decision.ToLowerInvariant()}", decision.ProcessId,
                decision.ProposalId.ToString(), new { decision.DecisionId, decision.SubmissionId, decision.Decision, decision.ApprovedAmount, decision.DecidedAt },
                decision.Approved ? null : decision.Reason);
        }
        else if (ignored is not null && submission is not null)
        {
            // A decision on one of ours that does not fit it is the intake's error: say so, but do not stall the stream.
            logger.LogWarning("Decision {DecisionId} (sequence {Sequence}) skipped: {Reason}", d.DecisionId, d.Sequence, ignored);
        }
        await uow.AdvanceDecisionCursorAsync(d.Sequence, ct);
        await uow.CommitAsync(ct);
        return recorded;
    }
}
