using System.Text.Json;
using Dapper;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;

namespace PBServices.MinistrySubmission.Infrastructure;

public sealed record SubmittedProjectView(Guid ProposalId, string Title, string Cost, int Rank);

public sealed record SubmissionView(Guid SubmissionId, Guid ProcessId, string Jurisdiction, string Status, string ContentHash, string? IntakeReceipt,
    decimal TotalCost, int Attempts, string? LastError, DateTimeOffset? DeliveredAt, IReadOnlyList<SubmittedProjectView> Projects);

internal static class SubmissionQueries
{
    public static async Task<SubmissionView> GetByProcessAsync(this UnitOfWork uow, Guid processId, CancellationToken ct)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<Row>(uow.Command(
            """
            SELECT id, process_id AS ProcessId, jurisdiction, status, content_hash AS ContentHash, intake_receipt AS IntakeReceipt,
                   total_cost AS TotalCost, attempts, last_error AS LastError, delivered_at AS DeliveredAt, canonical_content AS CanonicalContent
            FROM submissions WHERE process_id = @processId
            """, new { processId }, ct)) ?? throw new NotFoundException("Submission of process", processId);

        // The projects are read back from the signed document itself: what is shown is what was sent.
        using var doc = JsonDocument.Parse(row.CanonicalContent);
        var projects = doc.RootElement.GetProperty("projects").EnumerateArray().Select(p => new SubmittedProjectView(
            p.GetProperty("proposalId").GetGuid(), p.GetProperty("title").GetString()!, p.GetProperty("cost").GetString()!, p.GetProperty("rank").GetInt32())).ToList();
        return new SubmissionView(row.Id, row.ProcessId, row.Jurisdiction, row.Status, row.ContentHash, row.IntakeReceipt, row.TotalCost, row.Attempts, row.LastError,
            row.DeliveredAt is { } d ? new DateTimeOffset(d, TimeSpan.Zero) : null, projects);
    }

    private sealed record Row(Guid Id, Guid ProcessId, string Jurisdiction, string Status, string ContentHash, string? IntakeReceipt, decimal TotalCost,
        int Attempts, string? LastError, DateTime? DeliveredAt, string CanonicalContent);
}
