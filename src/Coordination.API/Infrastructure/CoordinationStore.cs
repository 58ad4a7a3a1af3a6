using Dapper;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.Coordination.Domain;

namespace PBServices.Coordination.Infrastructure;

internal static class CoordinationStore
{
    public static async Task<CoordinatedList> GetByProcessAsync(this UnitOfWork uow, Guid processId, CancellationToken ct, bool forUpdate = false)
    {
        var head = await uow.Connection.QuerySingleOrDefaultAsync<Head>(uow.Command(
            $"""
            SELECT id, process_id AS ProcessId, jurisdiction, level, fiscal_year AS FiscalYear, budget_ceiling AS BudgetCeiling,
                   status, acta_reference AS ActaReference, approved_at AS ApprovedAt
            FROM lists WHERE process_id = @processId {(forUpdate ? "FOR UPDATE" : "")}
            """, new { processId }, ct))
            ?? throw new NotFoundException("Prioritised list of process", processId);
        var projects = await uow.Connection.QueryAsync<ListProject>(uow.Command(
            "SELECT proposal_id AS ProposalId, title, cost, score, rank FROM list_projects WHERE list_id = @Id ORDER BY rank", new { head.Id }, ct));
        return CoordinatedList.Restore(head.Id, head.ProcessId, head.Jurisdiction, head.Level, head.FiscalYear, head.BudgetCeiling, head.Status,
            head.ActaReference, head.ApprovedAt is { } at ? new DateTimeOffset(at, TimeSpan.Zero) : null, projects.ToList());
    }

    public static Task MarkFormalizedAsync(this UnitOfWork uow, CoordinatedList list, string approvedBy, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            "UPDATE lists SET status = @Status, acta_reference = @ActaReference, approved_at = @ApprovedAt, approved_by = @approvedBy WHERE id = @Id",
            new { list.Id, Status = list.Status.ToString(), list.ActaReference, list.ApprovedAt, approvedBy }, ct));

    private sealed record Head(Guid Id, Guid ProcessId, string Jurisdiction, string Level, int FiscalYear, decimal BudgetCeiling, string Status, string? ActaReference, DateTime? ApprovedAt);
}
