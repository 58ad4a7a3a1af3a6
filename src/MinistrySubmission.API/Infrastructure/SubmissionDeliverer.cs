using Dapper;
using Grpc.Core;
using Microsoft.Extensions.Options;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Outbox;
using PBServices.BuildingBlocks.Security;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Grpc.Ministry;
using PBServices.MinistrySubmission.Domain;

namespace PBServices.MinistrySubmission.Infrastructure;

public sealed class SubmissionDeliveryOptions
{
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>Wakes the deliverer when a new submission is stored.</summary>
public sealed class SubmissionDeliverySignal : WakeUpSignal;

/// <summary>
/// Delivers stored submissions to the Ministry's intake over gRPC. A submission is claimed with
/// FOR UPDATE SKIP LOCKED (replicas share the work); transient failures back off exponentially and
/// stay Pending, a refusal by the intake is final and recorded with its reason.
/// </summary>
public sealed class SubmissionDeliverer(
    UnitOfWorkFactory db,
    MinistryIntake.MinistryIntakeClient intake,
    TokenIssuer tokens,
    SubmissionDeliverySignal signal,
    IOptions<SubmissionDeliveryOptions> options,
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
        await using var uow = await db.BeginAsync(ct);
        var s = await uow.Connection.QuerySingleOrDefaultAsync<Due>(uow.Command(
            """
            SELECT id, process_id AS ProcessId, jurisdiction, canonical_content AS CanonicalContent, content_hash AS ContentHash,
                   signature, public_key AS PublicKey, attempts
            FROM submissions WHERE status = 'Pending' AND next_attempt_at <= @now
            ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED
            """, new { now = uow.Now }, ct));
        if (s is null)
        {
            return false;
        }

        // The intake checks that the caller acts for the submission's jurisdiction.
        var headers = new Metadata { { "authorization", $"Bearer {tokens.Issue("ministry-submission", [Roles.ProcessAdmin], s.Jurisdiction, TimeSpan.FromMinutes(5))}" } };
        try
        {
            var reply = await intake.SubmitAsync(new SubmitRequest
            {
                SubmissionId = s.Id.ToString(),
                Jurisdiction = s.Jurisdiction,
                ProcessId = s.ProcessId.ToString(),
                CanonicalContent = s.CanonicalContent,
                ContentHash = s.ContentHash,
                Signature = s.Signature,
                PublicKey = s.PublicKey,
            }, headers, deadline: DateTime.UtcNow.Add(options.Value.CallTimeout), cancellationToken: ct);

            await uow.Connection.ExecuteAsync(uow.Command(
                "UPDATE submissions SET status = 'Delivered', intake_receipt = @receipt, delivered_at = @now, attempts = attempts + 1, last_error = NULL WHERE id = @id",
                new { id = s.Id, receipt = reply.Receipt, now = uow.Now }, ct));
            uow.Publish(new SubmissionAccepted { ProcessId = s.ProcessId, Jurisdiction = s.Jurisdiction, SubmissionId = s.Id, ContentHash = s.ContentHash, IntakeReceipt = reply.Receipt });
            logger.LogInformation("Submission {SubmissionId} delivered; receipt {Receipt}", s.Id, reply.Receipt);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.PermissionDenied)
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                "UPDATE submissions SET status = 'Rejected', attempts = attempts + 1, last_error = @error WHERE id = @id",
                new { id = s.Id, error = e.Status.Detail }, ct));
            uow.Publish(new SubmissionRejected { ProcessId = s.ProcessId, Jurisdiction = s.Jurisdiction, SubmissionId = s.Id, Reason = e.Status.Detail });
            logger.LogWarning("Submission {SubmissionId} refused by the intake: {Reason}", s.Id, e.Status.Detail);
        }
        catch (Exception e) when (e is RpcException or HttpRequestException && !ct.IsCancellationRequested)
        {
            var backoff = TimeSpan.FromSeconds(Math.Min(options.Value.MaxBackoff.TotalSeconds, Math.Pow(2, Math.Min(s.Attempts, 16))));
            await uow.Connection.ExecuteAsync(uow.Command(
                "UPDATE submissions SET attempts = attempts + 1, last_error = @error, next_attempt_at = @next WHERE id = @id",
                new { id = s.Id, error = e.Message, next = uow.Now + backoff }, ct));
            logger.LogWarning(e, "Submission {SubmissionId} not delivered (attempt {Attempt}); retrying in {Backoff}", s.Id, s.Attempts + 1, backoff);
        }
        await uow.CommitAsync(ct);
        return true;
    }

    private sealed record Due(Guid Id, Guid ProcessId, string Jurisdiction, string CanonicalContent, string ContentHash, string Signature, string PublicKey, int Attempts);
}
