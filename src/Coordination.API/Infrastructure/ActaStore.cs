using System.Text.Json;
using Dapper;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Processes;
using PBServices.BuildingBlocks.Security;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Coordination.Domain;

namespace PBServices.Coordination.Infrastructure;

/// <summary>The formalization workshop's records: agents, the final vote, presence, the committee's election, the acta.</summary>
internal static class ActaStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Locks the process's list: FOR UPDATE for what changes the acta or the election, FOR SHARE for signatures and
    /// ballots, which may go together but never beside a new version or a closing.
    /// </summary>
    public static async Task LockListAsync(this UnitOfWork uow, Guid processId, bool shared, CancellationToken ct)
    {
        var found = await uow.Connection.ExecuteScalarAsync<Guid?>(uow.Command(
            $"SELECT id FROM lists WHERE process_id = @processId {(shared ? "FOR SHARE" : "FOR UPDATE")}", new { processId }, ct));
        if (found is null)
        {
            throw new NotFoundException("Prioritised list of process", processId);
        }
    }

    public static Task InsertRulesAsync(this UnitOfWork uow, ProcessOpened e, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            "INSERT INTO process_rules (process_id, rules) VALUES (@ProcessId, @rules::jsonb) ON CONFLICT (process_id) DO NOTHING",
            new { e.ProcessId, rules = e.Rules is null ? null : JsonSerializer.Serialize(e.Rules, Json) }, ct));

    public static async Task<CommitteeRules> GetCommitteeRulesAsync(this UnitOfWork uow, Guid processId, CancellationToken ct)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<string?>(uow.Command(
            "SELECT coalesce(rules::text, 'null') FROM process_rules WHERE process_id = @processId", new { processId }, ct))
            ?? throw new NotFoundException("Rules of process", processId);
        return CommitteeRules.Of(JsonSerializer.Deserialize<ProcessRules>(row, Json));
    }

    public static Task UpsertAgentAsync(this UnitOfWork uow, AgentAccredited e, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO accredited_agents (agent_id, process_id, full_name, organisation, territory, groups)
            VALUES (@AgentId, @ProcessId, @FullName, @Organisation, @Territory, @groups)
            ON CONFLICT (agent_id) DO UPDATE SET revoked = false, full_name = excluded.full_name, organisation = excluded.organisation,
                territory = excluded.territory, groups = excluded.groups
            """, new { e.AgentId, e.ProcessId, e.FullName, e.Organisation, e.Territory, groups = e.Groups.Select(g => g.ToString()).ToArray() }, ct));

    public static Task RevokeAgentAsync(this UnitOfWork uow, Guid agentId, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command("UPDATE accredited_agents SET revoked = true WHERE agent_id = @agentId", new { agentId }, ct));

    public static async Task<AccreditedAgent?> FindAgentAsync(this UnitOfWork uow, Guid agentId, CancellationToken ct)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<AgentRow>(uow.Command(
            "SELECT agent_id AS AgentId, process_id AS ProcessId, full_name AS FullName, organisation, territory, groups, revoked FROM accredited_agents WHERE agent_id = @agentId",
            new { agentId }, ct));
        return row?.ToDomain();
    }

    public static Task InsertFinalVoteAsync(this UnitOfWork uow, FinalListVoted e, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO final_votes (process_id, list_id, vote_id, approve, reject, abstain, voted_at, proposal_ids)
            VALUES (@ProcessId, @ListId, @VoteId, @Approve, @Reject, @Abstain, @OccurredAt, @ids)
            ON CONFLICT (process_id) DO NOTHING
            """, new { e.ProcessId, e.ListId, e.VoteId, e.Approve, e.Reject, e.Abstain, e.OccurredAt, ids = e.Projects.Select(p => p.ProposalId).ToArray() }, ct));

    public static async Task<FinalVote?> FindFinalVoteAsync(this UnitOfWork uow, Guid processId, CancellationToken ct)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<FinalVoteRow>(uow.Command(
            "SELECT list_id AS ListId, vote_id AS VoteId, approve, reject, abstain, voted_at AS VotedAt, proposal_ids AS ProposalIds FROM final_votes WHERE process_id = @processId",
            new { processId }, ct));
        return row is null ? null : new FinalVote(row.ListId, row.VoteId, row.Approve, row.Reject, row.Abstain, Utc(row.VotedAt), row.ProposalIds);
    }

    public static async Task<bool> InsertPresentAsync(this UnitOfWork uow, Guid processId, Guid agentId, string recordedBy, CancellationToken ct) =>
        await uow.Connection.ExecuteAsync(uow.Command(
            "INSERT INTO workshop_present (process_id, agent_id, recorded_by, recorded_at) VALUES (@processId, @agentId, @recordedBy, @now) ON CONFLICT DO NOTHING",
            new { processId, agentId, recordedBy, now = uow.Now }, ct)) == 1;

    public static async Task<IReadOnlyList<ActaAgent>> ListPresentAsync(this UnitOfWork uow, Guid processId, CancellationToken ct) =>
        (await uow.Connection.QueryAsync<ActaAgent>(uow.Command(
            """
            SELECT a.agent_id AS AgentId, a.full_name AS FullName, a.organisation FROM workshop_present p JOIN accredited_agents a ON a.agent_id = p.agent_id
            WHERE p.process_id = @processId ORDER BY a.full_name, a.agent_id
            """, new { processId }, ct))).ToList();

    public static async Task<CommitteeElection> GetElectionAsync(this UnitOfWork uow, ProcessStage process, CancellationToken ct)
    {
        var head = await uow.Connection.QuerySingleOrDefaultAsync<(int Seats, DateTime? ClosedAt)?>(uow.Command(
            "SELECT seats, closed_at FROM committee_elections WHERE process_id = @ProcessId", new { process.ProcessId }, ct));
        var rules = await uow.GetCommitteeRulesAsync(process.ProcessId, ct);
        var candidates = (await uow.Connection.QueryAsync<CandidateRow>(uow.Command(
            """
            SELECT c.agent_id AS AgentId, a.full_name AS FullName, a.organisation, c.residence, c.groups, c.nominated_at AS NominatedAt
            FROM committee_candidates c JOIN accredited_agents a ON a.agent_id = c.agent_id
            WHERE c.process_id = @ProcessId ORDER BY c.nominated_at, c.agent_id
            """, new { process.ProcessId }, ct)))
            .Select(r => new Candidate(r.AgentId, r.FullName, r.Organisation, r.Residence, Groups(r.Groups), Utc(r.NominatedAt))).ToList();
        var ballots = await uow.Connection.ExecuteScalarAsync<int>(uow.Command(
            "SELECT count(*) FROM committee_ballots WHERE process_id = @ProcessId", new { process.ProcessId }, ct));
        var members = (await uow.Connection.QueryAsync<MemberRow>(uow.Command(
            """
            SELECT m.seat, m.agent_id AS AgentId, a.full_name AS FullName, a.organisation, m.votes, m.quota
            FROM committee_members m JOIN accredited_agents a ON a.agent_id = m.agent_id WHERE m.process_id = @ProcessId ORDER BY m.seat
            """, new { process.ProcessId }, ct)))
            .Select(r => new CommitteeMember(r.Seat, r.AgentId, r.FullName, r.Organisation, r.Votes, r.Quota is null ? null : Enum.Parse<QuotaGroup>(r.Quota))).ToList();
        // The seats are fixed when the first candidate is nominated.
        var seated = head is { } h ? rules with { Seats = h.Seats } : rules;
        return CommitteeElection.Restore(process.ProcessId, process.Jurisdiction, seated, candidates, ballots, members, head?.ClosedAt is { } at ? Utc(at) : null);
    }

    /// <summary>How many ballots approve each candidate: public once the election closes, with no voter.</summary>
    public static async Task<IReadOnlyDictionary<Guid, int>> CountVotesAsync(this UnitOfWork uow, Guid processId, CancellationToken ct) =>
        (await uow.Connection.QueryAsync<(Guid Candidate, int Votes)>(uow.Command(
            "SELECT c AS Candidate, count(*)::int AS Votes FROM committee_ballots, unnest(candidates) AS c WHERE process_id = @processId GROUP BY c",
            new { processId }, ct))).ToDictionary(r => r.Candidate, r => r.Votes);

    public static async Task InsertCandidateAsync(this UnitOfWork uow, Guid processId, int seats, Candidate c, string nominatedBy, CancellationToken ct)
    {
        await uow.Connection.ExecuteAsync(uow.Command(
            "INSERT INTO committee_elections (process_id, seats, opened_at) VALUES (@processId, @seats, @now) ON CONFLICT DO NOTHING",
            new { processId, seats, now = uow.Now }, ct));
        await uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO committee_candidates (process_id, agent_id, residence, groups, nominated_by, nominated_at)
            VALUES (@processId, @AgentId, @Residence, @groups, @nominatedBy, @NominatedAt)
            """, new { processId, c.AgentId, c.Residence, groups = c.Groups.Select(g => g.ToString()).ToArray(), nominatedBy, c.NominatedAt }, ct));
    }

    /// <summary>False when the voter's ballot is already in: the primary key keeps one per agent, however many arrive at once.</summary>
    public static async Task<bool> InsertBallotAsync(this UnitOfWork uow, Guid processId, Guid voterId, IReadOnlyList<Guid> candidates, CancellationToken ct) =>
        await uow.Connection.ExecuteAsync(uow.Command(
            "INSERT INTO committee_ballots (process_id, voter_id, candidates, cast_at) VALUES (@processId, @voterId, @candidates, @now) ON CONFLICT DO NOTHING",
            new { processId, voterId, candidates = candidates.ToArray(), now = uow.Now }, ct)) == 1;

    public static async Task CloseElectionAsync(this UnitOfWork uow, CommitteeElection election, string closedBy, CancellationToken ct)
    {
        await uow.Connection.ExecuteAsync(uow.Command(
            "UPDATE committee_elections SET closed_at = @ClosedAt, closed_by = @closedBy WHERE process_id = @ProcessId AND closed_at IS NULL",
            new { election.ClosedAt, closedBy, election.ProcessId }, ct));
        foreach (var m in election.Members)
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                "INSERT INTO committee_members (process_id, seat, agent_id, votes, quota) VALUES (@ProcessId, @Seat, @AgentId, @Votes, @quota)",
                new { election.ProcessId, m.Seat, m.AgentId, m.Votes, quota = m.Quota?.ToString() }, ct));
        }
    }

    /// <summary>The list's included items in rank order, with each one's co-financing shares (none for a project its government pays alone).</summary>
    public static async Task<(IReadOnlyList<ActaProject> Projects, IReadOnlyList<ActaCommitment> Commitments)> GetFinalProjectsAsync(this UnitOfWork uow, Guid listId, CancellationToken ct)
    {
        var items = (await uow.GetItemsAsync(listId, ct)).Where(i => i.Status == ItemStatus.Included).OrderBy(i => i.Rank);
        var agreements = (await uow.GetAgreementsAsync(listId, ct)).ToDictionary(a => a.ProposalId);
        var projects = items.Select(i => new ActaProject(i.Rank!.Value, i.ProposalId, i.Title, i.Cost, i.Score,
            agreements.TryGetValue(i.ProposalId, out var a)
                ? a.Shares.Select(s => new ActaShare(s.PartyKind.ToString(), s.Party, s.Contribution.ToString(), s.Amount, s.Commitment)).ToList()
                : [])).ToList();
        var commitments = projects
            .SelectMany(p => p.Cofinancing.Select(s => new ActaCommitment(s.Party, s.PartyKind, p.ProposalId, p.Title, s.Contribution, s.Amount, s.Commitment)))
            .OrderBy(c => c.Party, StringComparer.Ordinal).ThenBy(c => projects.First(p => p.ProposalId == c.ProposalId).Rank).ToList();
        return (projects, commitments);
    }

    public static async Task<Acta> GetActaAsync(this UnitOfWork uow, Guid processId, CancellationToken ct)
    {
        var version = await uow.Connection.QuerySingleOrDefaultAsync<(string Content, string ContentHash)?>(uow.Command(
            "SELECT content, content_hash FROM actas WHERE process_id = @processId ORDER BY version DESC LIMIT 1", new { processId }, ct));
        var signatures = (await uow.Connection.QueryAsync<SignatureRow>(uow.Command(
            "SELECT signer, role, name, version, content_hash AS ContentHash, signed_at AS SignedAt FROM acta_signatures WHERE process_id = @processId ORDER BY signed_at, signer",
            new { processId }, ct)))
            .Select(s => new ActaSignature(s.Signer, s.Role, s.Name, s.Role == Roles.Agent, s.Version, s.ContentHash, Utc(s.SignedAt))).ToList();
        var approvals = (await uow.Connection.QueryAsync<(string Body, string ApprovedBy, DateTime ApprovedAt)>(uow.Command(
            "SELECT body, approved_by, approved_at FROM acta_approvals WHERE process_id = @processId ORDER BY approved_at", new { processId }, ct)))
            .Select(a => new ActaApproval(Enum.Parse<ApprovalBody>(a.Body), a.ApprovedBy, Utc(a.ApprovedAt))).ToList();
        var current = version is { } v
            ? new ActaVersion(JsonSerializer.Deserialize<ActaContent>(v.Content, Json)!, v.Content, v.ContentHash)
            : null;
        return Acta.Restore(processId, current, signatures, approvals);
    }

    public static Task InsertActaAsync(this UnitOfWork uow, Guid processId, ActaVersion acta, string drawnBy, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO actas (process_id, version, number, content, content_hash, drawn_by, drawn_at)
            VALUES (@processId, @Version, @Number, @Canonical, @ContentHash, @drawnBy, @DrawnAt)
            """, new { processId, acta.Content.Version, acta.Content.Number, acta.Canonical, acta.ContentHash, drawnBy, acta.Content.DrawnAt }, ct));

    /// <summary>False when the person's signature is already in: the primary key keeps one, however many requests arrive at once.</summary>
    public static async Task<bool> InsertSignatureAsync(this UnitOfWork uow, Guid processId, ActaSignature s, CancellationToken ct) =>
        await uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO acta_signatures (process_id, signer, role, name, version, content_hash, signed_at)
            VALUES (@processId, @Signer, @Role, @Name, @Version, @ContentHash, @SignedAt) ON CONFLICT DO NOTHING
            """, new { processId, s.Signer, s.Role, s.Name, s.Version, s.ContentHash, s.SignedAt }, ct)) == 1;

    public static Task InsertApprovalAsync(this UnitOfWork uow, Guid processId, ActaApproval a, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            "INSERT INTO acta_approvals (process_id, body, approved_by, approved_at) VALUES (@processId, @body, @ApprovedBy, @ApprovedAt)",
            new { processId, body = a.Body.ToString(), a.ApprovedBy, a.ApprovedAt }, ct));

    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));

    private static IReadOnlyList<QuotaGroup> Groups(string[] groups) => groups.Select(Enum.Parse<QuotaGroup>).ToList();

    // Rows with array columns are classes: Dapper matches a constructor's array parameters against System.Array and finds none.
    private sealed class AgentRow
    {
        public Guid AgentId { get; init; }
        public Guid ProcessId { get; init; }
        public string FullName { get; init; } = "";
        public string Organisation { get; init; } = "";
        public string? Territory { get; init; }
        public string[] Groups { get; init; } = [];
        public bool Revoked { get; init; }

        public AccreditedAgent ToDomain() => new(AgentId, ProcessId, FullName, Organisation, Territory, ActaStore.Groups(Groups), Revoked);
    }

    private sealed class FinalVoteRow
    {
        public Guid ListId { get; init; }
        public Guid VoteId { get; init; }
        public int Approve { get; init; }
        public int Reject { get; init; }
        public int Abstain { get; init; }
        public DateTime VotedAt { get; init; }
        public Guid[] ProposalIds { get; init; } = [];
    }

    private sealed class CandidateRow
    {
        public Guid AgentId { get; init; }
        public string FullName { get; init; } = "";
        public string Organisation { get; init; } = "";
        public string Residence { get; init; } = "";
        public string[] Groups { get; init; } = [];
        public DateTime NominatedAt { get; init; }
    }
    private sealed record MemberRow(int Seat, Guid AgentId, string FullName, string Organisation, int Votes, string? Quota);
    private sealed record SignatureRow(string Signer, string Role, string Name, int Version, string ContentHash, DateTime SignedAt);
}
