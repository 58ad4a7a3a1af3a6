using Dapper;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Coordination.Domain;

namespace PBServices.Coordination.Infrastructure;

internal static class CoordinationStore
{
    public static async Task<CoordinatedList> GetByProcessAsync(this UnitOfWork uow, Guid processId, CancellationToken ct, bool forUpdate = false)
    {
        var head = await uow.Connection.QuerySingleOrDefaultAsync<Head>(uow.Command(
            $"""
            SELECT id, process_id AS ProcessId, jurisdiction, level, fiscal_year AS FiscalYear, budget_ceiling AS BudgetCeiling, rule,
                   status, acta_reference AS ActaReference, approved_at AS ApprovedAt
            FROM lists WHERE process_id = @processId {(forUpdate ? "FOR UPDATE" : "")}
            """, new { processId }, ct))
            ?? throw new NotFoundException("Prioritised list of process", processId);
        var projects = await uow.Connection.QueryAsync<ListedProject>(uow.Command(
            "SELECT proposal_id AS ProposalId, title, cost, score, rank FROM list_projects WHERE list_id = @Id ORDER BY rank", new { head.Id }, ct));
        return CoordinatedList.Restore(head.Id, head.ProcessId, head.Jurisdiction, head.Level, head.FiscalYear, head.BudgetCeiling, head.Rule, head.Status,
            head.ActaReference, head.ApprovedAt is { } at ? new DateTimeOffset(at, TimeSpan.Zero) : null, projects.ToList());
    }

    public static Task MarkFormalizedAsync(this UnitOfWork uow, CoordinatedList list, string approvedBy, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            "UPDATE lists SET status = @Status, acta_reference = @ActaReference, approved_at = @ApprovedAt, approved_by = @approvedBy WHERE id = @Id",
            new { list.Id, Status = list.Status.ToString(), list.ActaReference, list.ApprovedAt, approvedBy }, ct));

    /// <summary>Stores a received list once; a redelivered ListPrioritized finds it there.</summary>
    public static async Task InsertReceivedAsync(this UnitOfWork uow, CoordinatedList list, CancellationToken ct)
    {
        await uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO lists (id, process_id, jurisdiction, level, fiscal_year, budget_ceiling, rule, status, received_at)
            VALUES (@Id, @ProcessId, @Jurisdiction, @level, @FiscalYear, @BudgetCeiling, @Rule, @status, @now)
            """, new { list.Id, list.ProcessId, list.Jurisdiction, level = list.Level.ToString(), list.FiscalYear, list.BudgetCeiling, list.Rule, status = list.Status.ToString(), now = uow.Now }, ct));
        foreach (var p in list.Projects)
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                "INSERT INTO list_projects (list_id, proposal_id, title, cost, score, rank) VALUES (@listId, @ProposalId, @Title, @Cost, @Score, @Rank)",
                new { listId = list.Id, p.ProposalId, p.Title, p.Cost, p.Score, p.Rank }, ct));
        }
        // The coordinated list starts as the agents agreed it, as migration 4 seeded it for the lists it found.
        await uow.Connection.ExecuteAsync(uow.Command(
            "INSERT INTO items (list_id, proposal_id, origin_list_id, title, cost, score, agreed_rank, rank, status) SELECT list_id, proposal_id, list_id, title, cost, score, rank, rank, 'Included' FROM list_projects WHERE list_id = @Id",
            new { list.Id }, ct));
    }

    private sealed record Head(Guid Id, Guid ProcessId, string Jurisdiction, string Level, int FiscalYear, decimal BudgetCeiling, string Rule, string Status, string? ActaReference, DateTime? ApprovedAt);
}
