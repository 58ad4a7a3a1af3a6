using Dapper;
using Npgsql;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Deliberation.Domain;

namespace PBServices.Deliberation.Infrastructure;

/// <summary>Final-list votes: who voted and what was voted in two tables nothing joins, as for the prioritisation vote.</summary>
internal static class FinalVoteStore
{
    public static async Task InsertFinalVoteAsync(this UnitOfWork uow, FinalListVote v, CancellationToken ct)
    {
        try
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                "INSERT INTO final_votes (id, process_id, list_id, opened_at) VALUES (@Id, @ProcessId, @ListId, @OpenedAt)", new { v.Id, v.ProcessId, v.ListId, v.OpenedAt }, ct));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ConflictException("processId", "A vote on the final list is already open: close it first");
        }
    }

    public static async Task<IReadOnlyList<FinalListVote>> ListFinalVotesAsync(this UnitOfWork uow, Guid processId, CancellationToken ct) =>
        await uow.FindFinalVotesAsync("process_id = @processId ORDER BY opened_at", new { processId }, ct);

    public static async Task<FinalListVote> GetFinalVoteAsync(this UnitOfWork uow, Guid processId, Guid voteId, CancellationToken ct, bool forUpdate = false) =>
        (await uow.FindFinalVotesAsync($"id = @voteId AND process_id = @processId {(forUpdate ? "FOR UPDATE" : "")}", new { voteId, processId }, ct)).SingleOrDefault()
        ?? throw new NotFoundException("Final-list vote", voteId);

    private static async Task<IReadOnlyList<FinalListVote>> FindFinalVotesAsync(this UnitOfWork uow, string where, object parameters, CancellationToken ct)
    {
        var rows = (await uow.Connection.QueryAsync<VoteRow>(uow.Command(
            $"SELECT id, process_id AS ProcessId, list_id AS ListId, opened_at AS OpenedAt, closed_at AS ClosedAt, approve, reject, abstain FROM final_votes WHERE {where}",
            parameters, ct))).ToList();
        var votes = new List<FinalListVote>(rows.Count);
        // A process holds one prioritised list: every vote is on it.
        var projects = new Dictionary<Guid, IReadOnlyList<ListedProject>>();
        foreach (var r in rows)
        {
            if (!projects.TryGetValue(r.ListId, out var items))
            {
                items = (await uow.Connection.QueryAsync<ListedProject>(uow.Command(
                    """
                    SELECT i.proposal_id AS ProposalId, p.title AS Title, i.cost AS Cost, i.score AS Score, i.rank AS Rank
                    FROM prioritized_list_items i JOIN proposals p ON p.id = i.proposal_id
                    WHERE i.list_id = @ListId ORDER BY i.rank
                    """, new { r.ListId }, ct))).ToList();
                projects[r.ListId] = items;
            }
            votes.Add(FinalListVote.Restore(r.Id, r.ProcessId, r.ListId, items, Utc(r.OpenedAt), r.ClosedAt is { } c ? Utc(c) : null,
                r.Approve is { } a ? new FinalTally(a, r.Reject ?? 0, r.Abstain ?? 0) : null));
        }
        return votes;
    }

    /// <summary>The voter and the ballot in one transaction; a second ballot of the same voter breaks the primary key.</summary>
    public static async Task InsertFinalBallotAsync(this UnitOfWork uow, Guid voteId, Guid agentId, FinalBallot b, CancellationToken ct)
    {
        try
        {
            await uow.Connection.ExecuteAsync(uow.Command("INSERT INTO final_voters (vote_id, agent_id) VALUES (@voteId, @agentId)", new { voteId, agentId }, ct));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ConflictException("ballot", "This agent has already voted on the final list: one ballot per voter");
        }
        await uow.Connection.ExecuteAsync(uow.Command(
            "INSERT INTO final_ballots (id, vote_id, receipt, choice) VALUES (@Id, @voteId, @Receipt, @choice)", new { b.Id, voteId, b.Receipt, choice = b.Choice.ToString() }, ct));
    }

    public static async Task<IReadOnlyList<FinalBallot>> ListFinalBallotsAsync(this UnitOfWork uow, Guid voteId, CancellationToken ct) =>
        (await uow.Connection.QueryAsync<(Guid Id, string Receipt, string Choice)>(uow.Command(
            "SELECT id, receipt, choice FROM final_ballots WHERE vote_id = @voteId ORDER BY receipt", new { voteId }, ct)))
        .Select(r => new FinalBallot(r.Id, r.Receipt, Enum.Parse<FinalChoice>(r.Choice))).ToList();

    public static Task<int> CountFinalVotersAsync(this UnitOfWork uow, Guid voteId, CancellationToken ct) =>
        uow.Connection.ExecuteScalarAsync<int>(uow.Command("SELECT count(*)::int FROM final_voters WHERE vote_id = @voteId", new { voteId }, ct));

    public static Task CloseFinalVoteAsync(this UnitOfWork uow, FinalListVote v, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            "UPDATE final_votes SET closed_at = @ClosedAt, approve = @approve, reject = @reject, abstain = @abstain, approved = @approved WHERE id = @Id",
            new { v.Id, v.ClosedAt, approve = v.Tally!.Approve, reject = v.Tally.Reject, abstain = v.Tally.Abstain, approved = v.Tally.Approved }, ct));

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc), TimeSpan.Zero);

    private sealed record VoteRow(Guid Id, Guid ProcessId, Guid ListId, DateTime OpenedAt, DateTime? ClosedAt, int? Approve, int? Reject, int? Abstain);
}
