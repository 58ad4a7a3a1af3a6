using System.Text.Json;
using Dapper;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Contracts.Submissions;
using PBServices.Coordination.Domain;

namespace PBServices.Coordination.Infrastructure;

/// <summary>Items, decisions, impact rules, co-financing and the proposals' copy: what coordination between levels reads and writes.</summary>
internal static class LevelsStore
{
    private const string ItemColumns = "proposal_id AS ProposalId, origin_list_id AS OriginListId, title, cost, score, agreed_rank AS AgreedRank, rank, status, merged_into AS MergedInto";

    public static async Task<IReadOnlyList<CoordinationItem>> GetItemsAsync(this UnitOfWork uow, Guid listId, CancellationToken ct)
    {
        var rows = await uow.Connection.QueryAsync<ItemRow>(uow.Command(
            $"SELECT {ItemColumns} FROM items WHERE list_id = @listId ORDER BY rank NULLS LAST, agreed_rank NULLS LAST, title", new { listId }, ct));
        return rows.Select(r => r.ToDomain()).ToList();
    }

    /// <summary>Writes the items that differ from <paramref name="before"/>; ranks are unique at commit, so renumbering in any order is fine.</summary>
    public static async Task SaveItemsAsync(this UnitOfWork uow, Guid listId, IReadOnlyList<CoordinationItem> before, IReadOnlyList<CoordinationItem> after, CancellationToken ct)
    {
        foreach (var item in after)
        {
            var old = before.FirstOrDefault(b => b.ProposalId == item.ProposalId);
            if (old == item)
            {
                continue;
            }
            await uow.Connection.ExecuteAsync(uow.Command(
                old is null
                    ? """
                      INSERT INTO items (list_id, proposal_id, origin_list_id, title, cost, score, agreed_rank, rank, status, merged_into)
                      VALUES (@listId, @ProposalId, @OriginListId, @Title, @Cost, @Score, @AgreedRank, @Rank, @status, @MergedInto)
                      """
                    : """
                      UPDATE items SET title = @Title, cost = @Cost, rank = @Rank, status = @status, merged_into = @MergedInto
                      WHERE list_id = @listId AND proposal_id = @ProposalId
                      """,
                new { listId, item.ProposalId, item.OriginListId, item.Title, item.Cost, item.Score, item.AgreedRank, item.Rank, status = item.Status.ToString(), item.MergedInto }, ct));
        }
    }

    /// <summary>The agents' list becomes the first state of the coordinated one; a redelivered ListPrioritized inserts nothing twice.</summary>
    public static async Task InsertItemsAsync(this UnitOfWork uow, CoordinatedList list, CancellationToken ct)
    {
        foreach (var p in list.Projects)
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                """
                INSERT INTO items (list_id, proposal_id, origin_list_id, title, cost, score, agreed_rank, rank, status)
                VALUES (@listId, @ProposalId, @listId, @Title, @Cost, @Score, @Rank, @Rank, 'Included')
                """, new { listId = list.Id, p.ProposalId, p.Title, p.Cost, p.Score, p.Rank }, ct));
        }
    }

    public static async Task<CoordinatedList?> FindByProcessAsync(this UnitOfWork uow, Guid processId, CancellationToken ct, bool forUpdate = false) =>
        await uow.Connection.ExecuteScalarAsync<bool>(uow.Command("SELECT EXISTS (SELECT 1 FROM lists WHERE process_id = @processId)", new { processId }, ct))
            ? await uow.GetByProcessAsync(processId, ct, forUpdate)
            : null;

    /// <summary>The lists of the same fiscal year whose jurisdictions lie directly below <paramref name="jurisdiction"/>.</summary>
    public static async Task<IReadOnlyList<CoordinatedList>> GetListsBelowAsync(this UnitOfWork uow, string jurisdiction, int fiscalYear, CancellationToken ct)
    {
        var processes = await uow.Connection.QueryAsync<(Guid ProcessId, string Jurisdiction)>(uow.Command(
            "SELECT process_id, jurisdiction FROM lists WHERE fiscal_year = @fiscalYear ORDER BY jurisdiction", new { fiscalYear }, ct));
        var lists = new List<CoordinatedList>();
        foreach (var (processId, code) in processes.Where(p => Jurisdictions.ParentOf(p.Jurisdiction) == jurisdiction))
        {
            lists.Add(await uow.GetByProcessAsync(processId, ct));
        }
        return lists;
    }

    /// <summary>Locks the lists of the processes a change charges, in one order so two changes never wait on each other.</summary>
    public static async Task<IReadOnlyList<ChargedList>> LockCeilingsAsync(this UnitOfWork uow, IEnumerable<Guid> processIds, CancellationToken ct)
    {
        var ids = processIds.Distinct().Order().ToArray();
        var rows = await uow.Connection.QueryAsync<(Guid ProcessId, decimal Ceiling, int FiscalYear, string Jurisdiction, string Status)>(uow.Command(
            "SELECT process_id, budget_ceiling, fiscal_year, jurisdiction, status FROM lists WHERE process_id = ANY(@ids) ORDER BY process_id FOR UPDATE", new { ids }, ct));
        return rows.Select(r => new ChargedList(r.ProcessId, r.Ceiling, r.FiscalYear, r.Jurisdiction, Enum.Parse<ListStatus>(r.Status))).ToList();
    }

    /// <summary>What a government has committed of its ceiling, as the database's own check counts it.</summary>
    public static Task<decimal> GetCommitmentAsync(this UnitOfWork uow, Guid processId, CancellationToken ct) =>
        uow.Connection.ExecuteScalarAsync<decimal>(uow.Command("SELECT government_commitment(@processId)", new { processId }, ct));

    public static async Task<IReadOnlyList<CofinancingAgreement>> GetAgreementsAsync(this UnitOfWork uow, Guid listId, CancellationToken ct)
    {
        var heads = await uow.Connection.QueryAsync<(Guid Id, Guid ProposalId, decimal Total, string AgreedBy, DateTime AgreedAt)>(uow.Command(
            "SELECT id, proposal_id, total, agreed_by, agreed_at FROM cofinancing_agreements WHERE list_id = @listId ORDER BY agreed_at, id", new { listId }, ct));
        var shares = (await uow.Connection.QueryAsync<ShareRow>(uow.Command(
            """
            SELECT s.agreement_id AS AgreementId, s.party_kind AS PartyKind, s.party, s.process_id AS ProcessId, s.contribution, s.amount, s.commitment
            FROM cofinancing_shares s JOIN cofinancing_agreements a ON a.id = s.agreement_id
            WHERE a.list_id = @listId ORDER BY s.agreement_id, s.position
            """, new { listId }, ct))).ToLookup(s => s.AgreementId);
        return heads.Select(h => new CofinancingAgreement(h.Id, listId, h.ProposalId, h.Total, shares[h.Id].Select(s => s.ToDomain()).ToList(), h.AgreedBy,
            new DateTimeOffset(h.AgreedAt, TimeSpan.Zero))).ToList();
    }

    /// <summary>An agreement replaces the project's earlier one: agreements are revised until coordination closes.</summary>
    public static async Task SaveAgreementAsync(this UnitOfWork uow, CofinancingAgreement a, CancellationToken ct)
    {
        await uow.Connection.ExecuteAsync(uow.Command(
            "DELETE FROM cofinancing_agreements WHERE list_id = @ListId AND proposal_id = @ProposalId", new { a.ListId, a.ProposalId }, ct));
        await uow.Connection.ExecuteAsync(uow.Command(
            "INSERT INTO cofinancing_agreements (id, list_id, proposal_id, total, agreed_by, agreed_at) VALUES (@Id, @ListId, @ProposalId, @Total, @AgreedBy, @AgreedAt)",
            new { a.Id, a.ListId, a.ProposalId, a.Total, a.AgreedBy, a.AgreedAt }, ct));
        var position = 0;
        foreach (var s in a.Shares)
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                """
                INSERT INTO cofinancing_shares (agreement_id, position, party_kind, party, process_id, contribution, amount, commitment)
                VALUES (@agreement, @position, @kind, @Party, @ProcessId, @contribution, @Amount, @Commitment)
                """, new { agreement = a.Id, position = ++position, kind = s.PartyKind.ToString(), s.Party, s.ProcessId, contribution = s.Contribution.ToString(), s.Amount, s.Commitment }, ct));
        }
    }

    public static async Task InsertDecisionAsync(this UnitOfWork uow, Decision d, CancellationToken ct) =>
        await uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO decisions (id, list_id, proposal_id, kind, details, reason, author, role, decided_at)
            VALUES (@Id, @ListId, @ProposalId, @kind, @details::jsonb, @Reason, @Author, @Role, @DecidedAt)
            """, new { d.Id, d.ListId, d.ProposalId, kind = d.Kind.ToString(), details = JsonSerializer.Serialize(d.Details), d.Reason, d.Author, d.Role, d.DecidedAt }, ct));

    public static async Task<IReadOnlyList<Decision>> GetDecisionsAsync(this UnitOfWork uow, Guid listId, CancellationToken ct)
    {
        var rows = await uow.Connection.QueryAsync<(Guid Id, Guid? ProposalId, string Kind, string Details, string Reason, string Author, string Role, DateTime DecidedAt)>(uow.Command(
            "SELECT id, proposal_id, kind, details::text, reason, author, role, decided_at FROM decisions WHERE list_id = @listId ORDER BY decided_at, id", new { listId }, ct));
        return rows.Select(r => new Decision(r.Id, listId, r.ProposalId, Enum.Parse<DecisionKind>(r.Kind),
            JsonSerializer.Deserialize<Dictionary<string, object?>>(r.Details) ?? [], r.Reason, r.Author, r.Role, new DateTimeOffset(r.DecidedAt, TimeSpan.Zero))).ToList();
    }

    public static async Task<ImpactRules?> GetImpactRulesAsync(this UnitOfWork uow, Guid processId, CancellationToken ct)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<(decimal? CostThreshold, bool MultiDistrict, string PlanObjectives)?>(uow.Command(
            "SELECT cost_threshold, multi_district, to_jsonb(plan_objectives)::text FROM impact_rules WHERE process_id = @processId", new { processId }, ct));
        return row is { } r ? new ImpactRules(r.CostThreshold, r.MultiDistrict, TextArrays.FromJson(r.PlanObjectives)) : null;
    }

    public static Task SaveImpactRulesAsync(this UnitOfWork uow, Guid processId, ImpactRules rules, string setBy, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO impact_rules (process_id, cost_threshold, multi_district, plan_objectives, set_by, set_at)
            VALUES (@processId, @CostThreshold, @MultiDistrict, @objectives, @setBy, @now)
            ON CONFLICT (process_id) DO UPDATE SET cost_threshold = excluded.cost_threshold, multi_district = excluded.multi_district,
                plan_objectives = excluded.plan_objectives, set_by = excluded.set_by, set_at = excluded.set_at
            """, new { processId, rules.CostThreshold, rules.MultiDistrict, objectives = rules.PlanObjectives.ToArray(), setBy, now = uow.Now }, ct));

    public static async Task<IReadOnlyDictionary<Guid, ProposalCopy>> GetProposalsAsync(this UnitOfWork uow, IEnumerable<Guid> proposalIds, CancellationToken ct)
    {
        var ids = proposalIds.Distinct().ToArray();
        var rows = await uow.Connection.QueryAsync<ProposalRow>(uow.Command(
            """
            SELECT proposal_id AS ProposalId, process_id AS ProcessId, jurisdiction, title, cost, location, beneficiaries, plan_objective AS PlanObjective, to_jsonb(districts)::text AS Districts, competence,
                   assessment_recommendation AS AssessmentRecommendation, assessment_adjusted_cost AS AssessmentAdjustedCost, assessment_version AS AssessmentVersion
            FROM proposals WHERE proposal_id = ANY(@ids)
            """, new { ids }, ct));
        return rows.ToDictionary(r => r.ProposalId, r => r.ToDomain());
    }

    /// <summary>Keeps the newest version: a redelivered or late older version changes nothing.</summary>
    public static Task UpsertProposalAsync(this UnitOfWork uow, Guid proposalId, Guid processId, string jurisdiction, int version, string title, decimal cost, string location,
        int beneficiaries, string planObjective, IReadOnlyList<string> districts, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO proposals (proposal_id, process_id, jurisdiction, version, title, cost, location, beneficiaries, plan_objective, districts)
            VALUES (@proposalId, @processId, @jurisdiction, @version, @title, @cost, @location, @beneficiaries, @planObjective, @districts)
            ON CONFLICT (proposal_id) DO UPDATE SET version = excluded.version, title = excluded.title, cost = excluded.cost, location = excluded.location,
                beneficiaries = excluded.beneficiaries, plan_objective = excluded.plan_objective, districts = excluded.districts
            WHERE proposals.version < excluded.version
            """, new { proposalId, processId, jurisdiction, version, title, cost, location, beneficiaries, planObjective, districts = districts.ToArray() }, ct));

    /// <summary>
    /// The technical team's assessment and its finding on the level. The assessment of a later version of the proposal wins: an
    /// older version's event, arriving late, changes nothing. The proposal's copy may arrive after it, so it waits for it by
    /// failing (and being retried).
    /// </summary>
    public static async Task SetAssessmentAsync(this UnitOfWork uow, Guid proposalId, ProjectAssessment assessment, GovernmentLevel? competence, CancellationToken ct)
    {
        var updated = await uow.Connection.ExecuteAsync(uow.Command(
            """
            UPDATE proposals SET assessment_recommendation = @recommendation, assessment_adjusted_cost = @AdjustedCost, assessment_version = @Version,
                   competence = coalesce(@competence, competence)
            WHERE proposal_id = @proposalId AND (assessment_version IS NULL OR assessment_version <= @Version)
            """, new { proposalId, recommendation = assessment.Recommendation.ToString(), assessment.AdjustedCost, assessment.Version, competence = competence?.ToString() }, ct));
        if (updated == 0 && !await uow.Connection.ExecuteScalarAsync<bool>(uow.Command(
                "SELECT EXISTS (SELECT 1 FROM proposals WHERE proposal_id = @proposalId)", new { proposalId }, ct)))
        {
            throw new InvalidOperationException($"Proposal {proposalId} is not known yet");
        }
    }

    /// <summary>The jurisdiction (ubigeo) of each process coordination knows, for naming the governments that co-finance.</summary>
    public static async Task<IReadOnlyDictionary<Guid, string>> GetJurisdictionsAsync(this UnitOfWork uow, IEnumerable<Guid> processIds, CancellationToken ct) =>
        (await uow.Connection.QueryAsync<(Guid ProcessId, string Jurisdiction)>(uow.Command(
            "SELECT process_id, jurisdiction FROM process_stages WHERE process_id = ANY(@ids)", new { ids = processIds.Distinct().ToArray() }, ct)))
        .ToDictionary(r => r.ProcessId, r => r.Jurisdiction);

    public static Task<string> GetJurisdictionOfListAsync(this UnitOfWork uow, Guid listId, CancellationToken ct) =>
        uow.Connection.ExecuteScalarAsync<string>(uow.Command("SELECT jurisdiction FROM lists WHERE id = @listId", new { listId }, ct))!;

    public static Task MarkCoordinatedAsync(this UnitOfWork uow, CoordinatedList list, string by, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            "UPDATE lists SET status = @status, coordinated_at = @now, coordinated_by = @by WHERE id = @Id",
            new { list.Id, status = list.Status.ToString(), now = uow.Now, by }, ct));

    /// <summary>A list a change charges, as its locked row holds it.</summary>
    public sealed record ChargedList(Guid ProcessId, decimal Ceiling, int FiscalYear, string Jurisdiction, ListStatus Status);

    private sealed record ItemRow(Guid ProposalId, Guid OriginListId, string Title, decimal Cost, decimal Score, int? AgreedRank, int? Rank, string Status, Guid? MergedInto)
    {
        public CoordinationItem ToDomain() => new(ProposalId, OriginListId, Title, Cost, Score, AgreedRank, Rank, Enum.Parse<ItemStatus>(Status), MergedInto);
    }

    private sealed record ShareRow(Guid AgreementId, string PartyKind, string Party, Guid? ProcessId, string Contribution, decimal Amount, string? Commitment)
    {
        public CofinancingShare ToDomain() => new(Enum.Parse<PartyKind>(PartyKind), Party, ProcessId, Enum.Parse<Contribution>(Contribution), Amount, Commitment);
    }

    private sealed record ProposalRow(Guid ProposalId, Guid ProcessId, string Jurisdiction, string Title, decimal Cost, string Location, int Beneficiaries, string PlanObjective,
        string Districts, string? Competence, string? AssessmentRecommendation, decimal? AssessmentAdjustedCost, int? AssessmentVersion)
    {
        public ProposalCopy ToDomain() => new(ProposalId, ProcessId, Jurisdiction, Title, Cost, Location, Beneficiaries, PlanObjective, TextArrays.FromJson(Districts),
            Competence is { } c ? Enum.Parse<GovernmentLevel>(c) : null,
            AssessmentRecommendation is { } r && AssessmentVersion is { } v
                ? new ProjectAssessment(Enum.Parse<AssessmentRecommendation>(r), AssessmentAdjustedCost, v)
                : null);
    }
}
