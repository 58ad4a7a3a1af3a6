using Dapper;
using Npgsql;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.MinistrySubmission.Domain;

namespace PBServices.MinistrySubmission.Infrastructure;

public sealed record SubmissionView(Guid SubmissionId, Guid ProcessId, string Jurisdiction, SubmissionStatus Status, string ContentHash, string? IntakeReceipt,
    decimal TotalCost, int Attempts, string? LastError, DateTimeOffset? DeliveredAt, IReadOnlyList<ListedProject> Projects);

public sealed record ReceivedSubmission(Guid SubmissionId, string Jurisdiction, Guid ProcessId, string CanonicalContent, string ContentHash, string Receipt, DateTimeOffset ReceivedAt);

/// <summary>Every SQL statement of the submission side and of the Ministry's intake lives here.</summary>
internal static class SubmissionStore
{
    public static Task InsertSubmissionAsync(this UnitOfWork uow, SubmissionPackage package, Guid processId, Guid listId, string jurisdiction,
        string? traceParent, string? traceState, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO submissions (id, process_id, list_id, jurisdiction, canonical_content, content_hash, signature, public_key, total_cost, status,
                                     next_attempt_at, created_at, trace_parent, trace_state)
            VALUES (@SubmissionId, @processId, @listId, @jurisdiction, @CanonicalContent, @ContentHash, @Signature, @PublicKey, @TotalCost, @status,
                    @now, @now, @traceParent, @traceState)
            """,
            new
            {
                package.SubmissionId, processId, listId, jurisdiction, package.CanonicalContent, package.ContentHash,
                package.Signature, package.PublicKey, package.TotalCost, status = SubmissionStatus.Pending.ToString(), now = uow.Now, traceParent, traceState,
            }, ct));

    /// <summary>
    /// Claims the next submission due for delivery, skipping those another replica holds. Only processes that
    /// have reached the Submission stage deliver: a formalized list waits for the stage to open.
    /// </summary>
    public static async Task<Submission?> ClaimNextDueAsync(this UnitOfWork uow, CancellationToken ct)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<DueRow>(uow.Command(
            """
            SELECT s.id, s.process_id AS ProcessId, s.jurisdiction, s.canonical_content AS CanonicalContent, s.content_hash AS ContentHash,
                   s.signature, s.public_key AS PublicKey, s.attempts, s.trace_parent AS TraceParent, s.trace_state AS TraceState
            FROM submissions s JOIN process_stages p ON p.process_id = s.process_id
            WHERE s.status = 'Pending' AND s.next_attempt_at <= @now AND p.stage IN ('Submission', 'Oversight')
            ORDER BY s.next_attempt_at LIMIT 1 FOR UPDATE OF s SKIP LOCKED
            """, new { now = uow.Now }, ct));
        return row is null ? null : Submission.Restore(row.Id, row.ProcessId, row.Jurisdiction, row.CanonicalContent, row.ContentHash, row.Signature,
            row.PublicKey, row.Attempts, row.TraceParent, row.TraceState);
    }

    public static Task UpdateDeliveryAsync(this UnitOfWork uow, Submission s, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            UPDATE submissions SET status = @status, intake_receipt = @IntakeReceipt, attempts = @Attempts, last_error = @LastError,
                   next_attempt_at = COALESCE(@NextAttemptAt, next_attempt_at),
                   delivered_at = CASE WHEN @status = 'Delivered' THEN @now ELSE delivered_at END
            WHERE id = @Id
            """, new { s.Id, status = s.Status.ToString(), s.IntakeReceipt, s.Attempts, s.LastError, s.NextAttemptAt, now = uow.Now }, ct));

    public static async Task<SubmissionView> GetByProcessAsync(this UnitOfWork uow, Guid processId, CancellationToken ct)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<ViewRow>(uow.Command(
            """
            SELECT id, process_id AS ProcessId, jurisdiction, status, content_hash AS ContentHash, intake_receipt AS IntakeReceipt,
                   total_cost AS TotalCost, attempts, last_error AS LastError, delivered_at AS DeliveredAt, canonical_content AS CanonicalContent
            FROM submissions WHERE process_id = @processId
            """, new { processId }, ct)) ?? throw new NotFoundException("Submission of process", processId);
        return new SubmissionView(row.Id, row.ProcessId, row.Jurisdiction, Enum.Parse<SubmissionStatus>(row.Status), row.ContentHash, row.IntakeReceipt,
            row.TotalCost, row.Attempts, row.LastError, row.DeliveredAt is { } d ? new DateTimeOffset(d, TimeSpan.Zero) : null,
            SubmissionPackage.ProjectsOf(row.CanonicalContent));
    }

    /// <summary>The intake records a package once; a resent one finds the first and its receipt.</summary>
    public static async Task<(string Receipt, string ContentHash, DateTimeOffset ReceivedAt)> RecordReceivedAsync(this UnitOfWork uow, Guid submissionId,
        string jurisdiction, Guid processId, string canonicalContent, string contentHash, string signature, string publicKey, string receipt, CancellationToken ct)
    {
        await uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO intake_submissions (submission_id, jurisdiction, process_id, canonical_content, content_hash, signature, public_key, receipt, received_at)
            VALUES (@submissionId, @jurisdiction, @processId, @canonicalContent, @contentHash, @signature, @publicKey, @receipt, @now)
            ON CONFLICT (submission_id) DO NOTHING
            """,
            new { submissionId, jurisdiction, processId, canonicalContent, contentHash, signature, publicKey, receipt, now = uow.Now }, ct));
        var stored = await uow.Connection.QuerySingleAsync<(string Receipt, string ContentHash, DateTime ReceivedAt)>(uow.Command(
            "SELECT receipt, content_hash, received_at FROM intake_submissions WHERE submission_id = @submissionId", new { submissionId }, ct));
        return (stored.Receipt, stored.ContentHash, new DateTimeOffset(stored.ReceivedAt, TimeSpan.Zero));
    }

    public static async Task<ReceivedSubmission> GetReceivedAsync(this UnitOfWork uow, Guid submissionId, CancellationToken ct)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<(Guid SubmissionId, string Jurisdiction, Guid ProcessId, string CanonicalContent, string ContentHash, string Receipt, DateTime ReceivedAt)?>(uow.Command(
            "SELECT submission_id, jurisdiction, process_id, canonical_content, content_hash, receipt, received_at FROM intake_submissions WHERE submission_id = @submissionId",
            new { submissionId }, ct)) ?? throw new NotFoundException("Received submission", submissionId);
        return new ReceivedSubmission(row.SubmissionId, row.Jurisdiction, row.ProcessId, row.CanonicalContent, row.ContentHash, row.Receipt,
            new DateTimeOffset(row.ReceivedAt, TimeSpan.Zero));
    }

    private sealed record DueRow(Guid Id, Guid ProcessId, string Jurisdiction, string CanonicalContent, string ContentHash, string Signature, string PublicKey,
        int Attempts, string? TraceParent, string? TraceState);

    private sealed record ViewRow(Guid Id, Guid ProcessId, string Jurisdiction, string Status, string ContentHash, string? IntakeReceipt, decimal TotalCost,
        int Attempts, string? LastError, DateTime? DeliveredAt, string CanonicalContent);
}
