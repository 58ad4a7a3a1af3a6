using System.Globalization;
using System.Security.Cryptography;
using Grpc.Core;
using Npgsql;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.Contracts.Submissions;
using PBServices.NationalIntake.Domain;

namespace PBServices.NationalIntake.Infrastructure;

public sealed record SubmitOutcome(StoredReceipt? Receipt, StatusCode Status, string Message)
{
    public static SubmitOutcome Accepted(StoredReceipt receipt) => new(receipt, StatusCode.OK, "Accepted");
}

/// <summary>Receives a package: checks it (<see cref="SubmissionChecks"/>), records it once, or records why it was refused.</summary>
public sealed class SubmissionIntake(UnitOfWorkFactory db, KeyRegistry keys, ILogger<SubmissionIntake> logger)
{
    public async Task<SubmitOutcome> SubmitAsync(SubmissionEnvelope envelope, Actor sender, CancellationToken ct)
    {
        SubmitOutcome outcome;
        await using (var uow = await db.BeginAsync(ct))
        {
            outcome = await CheckAndRecordAsync(uow, envelope, sender, ct);
        }
        if (outcome.Status != StatusCode.OK)
        {
            await using var uow = await db.BeginAsync(ct);
            await uow.InsertRefusalAsync(sender.Subject, envelope.SubmissionId, envelope.Jurisdiction, outcome.Status.ToString(), outcome.Message, ct);
            await uow.CommitAsync(ct);
            logger.LogInformation("Refused submission {SubmissionId} of {Jurisdiction} from {Client}: {Status} {Reasons}",
                envelope.SubmissionId, envelope.Jurisdiction, sender.Subject, outcome.Status, outcome.Message);
        }
        return outcome;
    }

    private async Task<SubmitOutcome> CheckAndRecordAsync(UnitOfWork uow, SubmissionEnvelope envelope, Actor sender, CancellationToken ct)
    {
        var key = await keys.FindAsync(uow, envelope.KeyId, ct);
        var verdict = SubmissionChecks.Check(envelope, sender.Jurisdiction, key, uow.Now);
        if (!verdict.Accepted)
        {
            return new SubmitOutcome(null, StatusOf(verdict.Kind!.Value), verdict.Message);
        }
        var document = verdict.Document!;
        if (await ReportedElsewhereAsync(uow, document, ct) is { } elsewhere)
        {
            return elsewhere;
        }
        var now = uow.Now;
        var receipt = NewReceipt(now);
        DateTimeOffset? inserted;
        try
        {
            inserted = await uow.TryInsertSubmissionAsync(document, envelope with { KeyId = key!.KeyId }, verdict.ComputedHash, sender.Subject, receipt, now, ct);
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "submission_findings_reported_once" })
        {
            // Another package reporting the same finding committed between the check above and this insert.
            await using var again = await db.BeginAsync(ct);
            return await ReportedElsewhereAsync(again, document, ct) ?? throw new InvalidOperationException("A finding was reported twice, then by none", e);
        }
        if (inserted is { } receivedAt)
        {
            uow.Audit(sender, "SubmissionReceived", document.ProcessId, document.SubmissionId.ToString(),
                new { submissionId = document.SubmissionId, document.Jurisdiction, contentHash = verdict.ComputedHash, keyId = key.KeyId, receipt,
                    projects = document.Projects.Count, totalCost = document.TotalCost, reportedFindings = document.Findings.Count });
            await uow.CommitAsync(ct);
            // The time as stored, so the first answer and a resend's carry the same.
            return SubmitOutcome.Accepted(new StoredReceipt(receipt, verdict.ComputedHash, receivedAt));
        }
        // Already recorded (a resend, or a concurrent delivery that committed first): the same package gets the same receipt.
        var stored = await uow.ReadReceiptAsync(document.SubmissionId, ct);
        return stored.ContentHash == verdict.ComputedHash
            ? SubmitOutcome.Accepted(stored)
            : new SubmitOutcome(null, StatusCode.AlreadyExists,
                $"submission_id: another package (content hash {stored.ContentHash}) was recorded under '{document.SubmissionId}' with receipt {stored.Receipt}");
    }

    /// <summary>A finding travels once: a package reporting one that another submission reported is refused, naming that submission.</summary>
    private static async Task<SubmitOutcome?> ReportedElsewhereAsync(UnitOfWork uow, SubmissionDocument document, CancellationToken ct)
    {
        var elsewhere = await uow.FindReportedElsewhereAsync(document.SubmissionId, document.Findings.Select(f => f.FindingId).ToList(), ct);
        return elsewhere.Count == 0 ? null : new SubmitOutcome(null, StatusCode.FailedPrecondition, string.Join("; ", elsewhere.Select(r =>
            $"oversightReport.findings[{r.FindingId}]: already reported with submission {r.SubmissionId} (receipt {r.Receipt})")));
    }

    private static StatusCode StatusOf(RefusalKind kind) => kind switch
    {
        RefusalKind.PermissionDenied => StatusCode.PermissionDenied,
        RefusalKind.InvalidArgument => StatusCode.InvalidArgument,
        _ => StatusCode.FailedPrecondition,
    };

    /// <summary>MEF-yyyyMMdd-and ten random hex digits: unique (the database checks) and unguessable.</summary>
    public static string NewReceipt(DateTimeOffset now) =>
        $"MEF-{now.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5))}";
}
