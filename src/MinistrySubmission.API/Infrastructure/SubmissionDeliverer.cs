using Grpc.Core;
using Microsoft.Extensions.Options;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Outbox;
using PBServices.BuildingBlocks.Telemetry;
using PBServices.Grpc.Intake;
using PBServices.MinistrySubmission.Domain;

namespace PBServices.MinistrySubmission.Infrastructure;

public sealed class SubmissionDeliveryOptions
{
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Wakes the deliverer when a new submission is stored.</summary>
public sealed class SubmissionDeliverySignal : WakeUpSignal;

/// <summary>
/// Delivers stored submissions to the Ministry's national intake over gRPC, signed at that moment with the configured key
/// and authenticated with the intake's own token. A submission is claimed with FOR UPDATE SKIP LOCKED (replicas share the
/// work); transient failures (the intake unreachable, overloaded, or refusing the token) back off exponentially and stay
/// Pending, a refusal of the package is final and recorded with its reason.
/// </summary>
public sealed class SubmissionDeliverer(
    UnitOfWorkFactory db,
    MinistryIntake.MinistryIntakeClient intake,
    IntakeCredentials credentials,
    SubmissionSigningKey signingKey,
    SubmissionDeliverySignal signal,
    DecisionPollSignal decisions,
    IOptions<SubmissionDeliveryOptions> options,
    IOptions<MinistryOptions> ministry,
    ILogger<SubmissionDeliverer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var delivered = false;
            try
            {
                delivered = await DeliverNextAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Submission delivery pass failed; will retry");
            }
            if (!delivered)
            {
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>Tries one due submission; returns whether one was found.</summary>
    public async Task<bool> DeliverNextAsync(CancellationToken ct)
    {
        var (uow, s) = await ClaimQuietlyAsync(ct);
        await using var _ = uow;
        if (s is null)
        {
            return false;
        }

        // The delivery continues the trace of the formalization that produced the package.
        using var activity = TraceContext.Continue("submission deliver", s.TraceParent, s.TraceState, System.Diagnostics.ActivityKind.Producer);
        activity?.SetTag("pb.submission.id", s.Id);
        s.SignWith(signingKey);
        try
        {
            var headers = await credentials.HeadersAsync(ct);
            var reply = await intake.SubmitAsync(new SubmitRequest
            {
                SubmissionId = s.Id.ToString(),
                Jurisdiction = s.Jurisdiction,
                ProcessId = s.ProcessId.ToString(),
                CanonicalContent = s.CanonicalContent,
                ContentHash = s.ContentHash,
                Signature = s.Signature,
                KeyId = s.KeyId,
            }, headers, deadline: DateTime.UtcNow.Add(ministry.Value.CallTimeout), cancellationToken: ct);

            uow.Publish(s.Delivered(reply.Receipt));
            uow.AfterCommit(decisions.Notify);
            logger.LogInformation("Submission {SubmissionId} delivered; receipt {Receipt}", s.Id, reply.Receipt);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.PermissionDenied
                                         or StatusCode.AlreadyExists)
        {
            uow.Publish(s.Rejected(e.Status.Detail));
            logger.LogWarning("Submission {SubmissionId} refused by the intake ({Code}): {Reason}", s.Id, e.StatusCode, e.Status.Detail);
        }
        catch (Exception e) when (e is RpcException or HttpRequestException && !ct.IsCancellationRequested)
        {
            if (e is RpcException { StatusCode: StatusCode.Unauthenticated })
            {
                credentials.Forget();
            }
            var backoff = s.RetryLater(e.Message, uow.Now, options.Value.MaxBackoff);
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.Message);
            logger.LogWarning(e, "Submission {SubmissionId} not delivered (attempt {Attempt}); retrying in {Backoff}", s.Id, s.Attempts, backoff);
        }
        await uow.UpdateDeliveryAsync(s, ct);
        if (s.Status != SubmissionStatus.Pending)
        {
            uow.Audit(Actor.System("ministry-submission", s.Jurisdiction), $"submission.{s.Status.ToString().ToLowerInvariant()}", s.ProcessId, s.Id.ToString(),
                new { s.Status, s.IntakeReceipt, s.KeyId }, s.Status == SubmissionStatus.Rejected ? s.LastError : null);
        }
        await uow.CommitAsync(ct);
        return true;
    }

    /// <summary>Begins and claims untraced: a poll is no user action (see TraceContext).</summary>
    private async Task<(UnitOfWork, Submission?)> ClaimQuietlyAsync(CancellationToken ct)
    {
        using var quiet = TraceContext.Untraced();
        var uow = await db.BeginAsync(ct);
        try
        {
            return (uow, await uow.ClaimNextDueAsync(ct));
        }
        catch
        {
            await uow.DisposeAsync();
            throw;
        }
    }
}
