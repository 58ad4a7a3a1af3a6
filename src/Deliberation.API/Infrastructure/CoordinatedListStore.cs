using Dapper;
using PBServices.BuildingBlocks.Data;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.Deliberation.Infrastructure;

internal static class CoordinatedListStore
{
    public static async Task InsertCoordinatedListAsync(this UnitOfWork uow, ListCoordinated e, CancellationToken ct)
    {
        await uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO coordinated_lists (list_id, process_id, own_commitment, decisions, received_at)
            VALUES (@ListId, @ProcessId, @OwnCommitment, @Decisions, @now)
            """, new { e.ListId, e.ProcessId, e.OwnCommitment, e.Decisions, now = uow.Now }, ct));
        foreach (var p in e.Projects)
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                "INSERT INTO coordinated_list_items (list_id, proposal_id, title, cost, score, rank) VALUES (@listId, @ProposalId, @Title, @Cost, @Score, @Rank)",
                new { listId = e.ListId, p.ProposalId, p.Title, p.Cost, p.Score, p.Rank }, ct));
        }
    }

    /// <summary>The coordinated list of a process, in rank order; null until coordination closes it.</summary>
    public static async Task<(Guid Id, IReadOnlyList<ListedProject> Items)?> GetCoordinatedListAsync(this UnitOfWork uow, Guid processId, CancellationToken ct)
    {
        var id = await uow.Connection.QuerySingleOrDefaultAsync<Guid?>(uow.Command(
            "SELECT list_id FROM coordinated_lists WHERE process_id = @processId", new { processId }, ct));
        if (id is not { } listId)
        {
            return null;
        }
        var items = await uow.Connection.QueryAsync<ListedProject>(uow.Command(
            "SELECT proposal_id AS ProposalId, title, cost, score, rank FROM coordinated_list_items WHERE list_id = @listId ORDER BY rank", new { listId }, ct));
        return (listId, items.ToList());
    }
}
