using Dapper;
using Npgsql;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Deliberation.Domain;

namespace PBServices.Deliberation.Infrastructure;

internal static class DeliberationStore
{
    public static async Task<ProcessCopy> GetProcessAsync(this UnitOfWork uow, Guid processId, CancellationToken ct)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<(Guid Id, string Jurisdiction, string Name, int FiscalYear, string Level, decimal BudgetCeiling, string Stage, string? Rules)?>(uow.Command(
            "SELECT id, jurisdiction, name, fiscal_year, level, budget_ceiling, stage, rules::text FROM processes WHERE id = @processId",
            new { processId }, ct));
        return row is { } r
            ? new ProcessCopy(r.Id, r.Jurisdiction, r.Name, r.FiscalYear, Enum.Parse<GovernmentLevel>(r.Level, ignoreCase: true), r.BudgetCeiling, Enum.Parse<Stage>(r.Stage),
                r.Rules is null ? null : System.Text.Json.JsonSerializer.Deserialize<ProcessRules>(r.Rules, Json))
            : throw new NotFoundException("Process", processId);
    }

    internal static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    public static Task InsertProcessAsync(this UnitOfWork uow, ProcessOpened e, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO processes (id, jurisdiction, name, fiscal_year, level, budget_ceiling, stage, rules, calendar)
            VALUES (@ProcessId, @Jurisdiction, @Name, @FiscalYear, @level, @BudgetCeiling, @stage, @rules::jsonb, @calendar::jsonb)
            ON CONFLICT (id) DO NOTHING
            """, new
            {
                e.ProcessId, e.Jurisdiction, e.Name, e.FiscalYear, level = e.Level.ToString(), e.BudgetCeiling, stage = e.Stage.ToString(),
                rules = e.Rules is null ? null : System.Text.Json.JsonSerializer.Serialize(e.Rules, Json),
                calendar = e.Calendar is null ? null : System.Text.Json.JsonSerializer.Serialize(e.Calendar, Json),
            }, ct));

    public static Task RecordTrainingAsync(this UnitOfWork uow, TrainingAttended e, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            "INSERT INTO training_attendance (agent_id, session_id, process_id, date) VALUES (@AgentId, @SessionId, @ProcessId, @date::date) ON CONFLICT DO NOTHING",
            new { e.AgentId, e.SessionId, e.ProcessId, date = e.Date.ToDateTime(TimeOnly.MinValue) }, ct));

    /// <summary>What deliberation knows of an agent, revoked or not; null if no accreditation has arrived.</summary>
    public static Task<Participant?> FindParticipantAsync(this UnitOfWork uow, Guid agentId, CancellationToken ct) =>
        uow.Connection.QuerySingleOrDefaultAsync<Participant?>(uow.Command(
            """
            SELECT a.agent_id AS AgentId, a.process_id AS ProcessId, a.revoked AS Revoked,
                   EXISTS (SELECT 1 FROM training_attendance t WHERE t.agent_id = a.agent_id AND t.process_id = a.process_id) AS Trained,
                   EXISTS (SELECT 1 FROM workshop_attendance wa JOIN workshops w ON w.id = wa.workshop_id
                           WHERE wa.agent_id = a.agent_id AND w.process_id = a.process_id AND w.kind = 'Prioritisation') AS AttendedPrioritisationWorkshop
            FROM accredited_agents a WHERE a.agent_id = @agentId
            """, new { agentId }, ct));

    /// <summary>Moves the copy from one stage to the next; false when the copy is not (yet) in the stage the event left.</summary>
    public static async Task<bool> AdvanceStageAsync(this UnitOfWork uow, StageAdvanced e, CancellationToken ct) =>
        await uow.Connection.ExecuteAsync(uow.Command(
            "UPDATE processes SET stage = @to WHERE id = @ProcessId AND stage = @from",
            new { e.ProcessId, from = e.FromStage.ToString(), to = e.ToStage.ToString() }, ct)) == 1;

    public static Task UpsertAccreditedAgentAsync(this UnitOfWork uow, AgentAccredited e, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            "INSERT INTO accredited_agents (agent_id, process_id, full_name) VALUES (@AgentId, @ProcessId, @FullName) ON CONFLICT (agent_id) DO UPDATE SET revoked = false",
            new { e.AgentId, e.ProcessId, e.FullName }, ct));

    public static Task RevokeAgentAsync(this UnitOfWork uow, Guid agentId, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command("UPDATE accredited_agents SET revoked = true WHERE agent_id = @agentId", new { agentId }, ct));

    public static Task<AgentCopy?> FindAccreditedAgentAsync(this UnitOfWork uow, Guid agentId, CancellationToken ct) =>
        uow.Connection.QuerySingleOrDefaultAsync<AgentCopy?>(uow.Command(
            "SELECT agent_id AS AgentId, process_id AS ProcessId, full_name AS FullName FROM accredited_agents WHERE agent_id = @agentId AND NOT revoked",
            new { agentId }, ct));

    public static async Task InsertProposalAsync(this UnitOfWork uow, Proposal p, CancellationToken ct)
    {
        await uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO proposals (id, process_id, agent_id, title, description, cost, location, beneficiaries, plan_objective, status, submitted_at, version, districts)
            VALUES (@Id, @ProcessId, @AgentId, @Title, @Description, @Cost, @Location, @Beneficiaries, @PlanObjective, @Status, @now, @Version, @districts)
            """,
            new { p.Id, p.ProcessId, p.AgentId, p.Title, p.Description, p.Cost, p.Location, p.Beneficiaries, p.PlanObjective, Status = p.Status.ToString(), now = uow.Now, p.Version,
                districts = p.Districts.ToArray() }, ct));
        await uow.InsertVersionAsync(p, ct);
    }

    /// <summary>Keeps the proposal's current version among its versions; a version, once written, never changes but for its verdict.</summary>
    public static Task InsertVersionAsync(this UnitOfWork uow, Proposal p, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO proposal_versions (proposal_id, version, title, description, cost, location, beneficiaries, plan_objective, created_at, districts)
            VALUES (@Id, @Version, @Title, @Description, @Cost, @Location, @Beneficiaries, @PlanObjective, @now, @districts)
            """,
            new { p.Id, p.Version, p.Title, p.Description, p.Cost, p.Location, p.Beneficiaries, p.PlanObjective, now = uow.Now, districts = p.Districts.ToArray() }, ct));

    /// <summary>The proposal's current state; locked for the change the caller is about to make when <paramref name="forUpdate"/>.</summary>
    public static async Task<Proposal?> FindProposalAsync(this UnitOfWork uow, Guid proposalId, CancellationToken ct, bool forUpdate = false)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<ProposalRow>(uow.Command(
            $"""
            SELECT id, process_id AS ProcessId, agent_id AS AgentId, version, title, description, cost, location, beneficiaries, plan_objective AS PlanObjective, to_jsonb(districts)::text AS Districts,
                   status, score, recommendation, adjusted_cost AS AdjustedCost, assessment_reasons AS AssessmentReasons, withdrawal_reason AS WithdrawalReason
            FROM proposals WHERE id = @proposalId {(forUpdate ? "FOR UPDATE" : "")}
            """, new { proposalId }, ct));
        return row?.ToDomain();
    }

    public static async Task<Proposal> GetProposalAsync(this UnitOfWork uow, Guid processId, Guid proposalId, CancellationToken ct, bool forUpdate = false) =>
        await uow.FindProposalAsync(proposalId, ct, forUpdate) is { } p && p.ProcessId == processId ? p : throw new NotFoundException("Proposal", proposalId);

    /// <summary>Writes the proposal's current version, status and verdict.</summary>
    public static Task UpdateProposalAsync(this UnitOfWork uow, Proposal p, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            UPDATE proposals SET version = @Version, title = @Title, description = @Description, cost = @Cost, location = @Location, beneficiaries = @Beneficiaries,
                plan_objective = @PlanObjective, districts = @districts, status = @status, score = @Score, recommendation = @recommendation, adjusted_cost = @AdjustedCost,
                assessment_reasons = @AssessmentReasons, withdrawal_reason = @WithdrawalReason
            WHERE id = @Id
            """,
            new
            {
                p.Id, p.Version, p.Title, p.Description, p.Cost, p.Location, p.Beneficiaries, p.PlanObjective, districts = p.Districts.ToArray(), status = p.Status.ToString(), p.Score,
                recommendation = p.Recommendation?.ToString(), p.AdjustedCost, p.AssessmentReasons, p.WithdrawalReason,
            }, ct));

    /// <summary>The verdict on the version it assessed, kept with that version.</summary>
    public static Task RecordVersionAssessmentAsync(this UnitOfWork uow, AssessmentOutcome a, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            UPDATE proposal_versions SET recommendation = @recommendation, score = @Score, adjusted_cost = @AdjustedCost, assessment_reasons = @Reasons, assessed_at = @now
            WHERE proposal_id = @ProposalId AND version = @Version
            """, new { recommendation = a.Recommendation.ToString(), a.Score, a.AdjustedCost, a.Reasons, now = uow.Now, a.ProposalId, a.Version }, ct));

    public static async Task<IReadOnlyList<ProposalVersion>> GetVersionsAsync(this UnitOfWork uow, Guid proposalId, CancellationToken ct)
    {
        var rows = await uow.Connection.QueryAsync<VersionRow>(uow.Command(
            """
            SELECT version, title, description, cost, location, beneficiaries, plan_objective AS PlanObjective, to_jsonb(districts)::text AS Districts, created_at AS CreatedAt,
                   recommendation, score, adjusted_cost AS AdjustedCost, assessment_reasons AS AssessmentReasons, assessed_at AS AssessedAt
            FROM proposal_versions WHERE proposal_id = @proposalId ORDER BY version
            """, new { proposalId }, ct));
        return rows.Select(r => new ProposalVersion(r.Version, new ProposalContent(r.Title, r.Description, r.Cost, r.Location, r.Beneficiaries, r.PlanObjective, TextArrays.FromJson(r.Districts)), Utc(r.CreatedAt),
            r.Recommendation is { } rec ? new VersionAssessment(Enum.Parse<AssessmentRecommendation>(rec), r.Score ?? 0m, r.AdjustedCost, r.AssessmentReasons ?? "", Utc(r.AssessedAt!.Value)) : null)).ToList();
    }

    /// <summary>Once the agents' vote opens or the list is prioritised, the proposals it took stay as they were.</summary>
    public static Task<bool> VoteBegunAsync(this UnitOfWork uow, Guid processId, CancellationToken ct) =>
        uow.Connection.ExecuteScalarAsync<bool>(uow.Command(
            "SELECT EXISTS (SELECT 1 FROM voting_rounds WHERE process_id = @processId) OR EXISTS (SELECT 1 FROM prioritized_lists WHERE process_id = @processId)",
            new { processId }, ct));

    /// <summary>
    /// The process's proposals at their current version. <paramref name="forShare"/> locks them while a vote opens or a list
    /// is made, so a proposer's change either commits first (and is seen) or waits until the vote has taken them.
    /// </summary>
    public static async Task<IReadOnlyList<AssessedProposal>> GetProposalsAsync(this UnitOfWork uow, Guid processId, CancellationToken ct, bool forShare = false)
    {
        var rows = await uow.Connection.QueryAsync<ListedRow>(uow.Command(
            $"""
            SELECT id, title, cost, status, score, adjusted_cost AS AdjustedCost, version, recommendation
            FROM proposals WHERE process_id = @processId ORDER BY submitted_at, id {(forShare ? "FOR SHARE" : "")}
            """, new { processId }, ct));
        return rows.Select(r => new AssessedProposal(r.Id, r.Title, r.Cost, Enum.Parse<ProposalStatus>(r.Status), r.Score, r.AdjustedCost, r.Version,
            r.Recommendation is { } rec ? Enum.Parse<AssessmentRecommendation>(rec) : null)).ToList();
    }

    public static async Task InsertPrioritizedListAsync(this UnitOfWork uow, PrioritizedList list, CancellationToken ct)
    {
        try
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                "INSERT INTO prioritized_lists (id, process_id, rule, budget_ceiling, total_cost, created_at) VALUES (@Id, @ProcessId, @Rule, @BudgetCeiling, @Total, @now)",
                new { list.Id, list.ProcessId, list.Rule, list.BudgetCeiling, list.Total, now = uow.Now }, ct));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ConflictException("processId", "This process already has a prioritised list");
        }
        foreach (var item in list.Items)
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                "INSERT INTO prioritized_list_items (list_id, proposal_id, rank, cost, score) VALUES (@listId, @ProposalId, @Rank, @Cost, @Score)",
                new { listId = list.Id, item.ProposalId, item.Rank, item.Cost, item.Score }, ct));
        }
    }

    public static async Task<(Guid Id, string Rule, decimal Ceiling, decimal Total, IReadOnlyList<ListedProject> Items)?> GetPrioritizedListAsync(this UnitOfWork uow, Guid processId, CancellationToken ct)
    {
        var head = await uow.Connection.QuerySingleOrDefaultAsync<(Guid Id, string Rule, decimal Ceiling, decimal Total)?>(uow.Command(
            "SELECT id, rule, budget_ceiling, total_cost FROM prioritized_lists WHERE process_id = @processId", new { processId }, ct));
        if (head is not { } h)
        {
            return null;
        }
        var items = await uow.Connection.QueryAsync<ListedProject>(uow.Command(
            """
            SELECT i.proposal_id AS ProposalId, p.title AS Title, i.cost AS Cost, i.score AS Score, i.rank AS Rank
            FROM prioritized_list_items i JOIN proposals p ON p.id = i.proposal_id
            WHERE i.list_id = @id ORDER BY i.rank
            """, new { id = h.Id }, ct));
        return (h.Id, h.Rule, h.Ceiling, h.Total, items.ToList());
    }

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc), TimeSpan.Zero);

    private sealed record ProposalRow(Guid Id, Guid ProcessId, Guid AgentId, int Version, string Title, string Description, decimal Cost, string Location, int Beneficiaries,
        string PlanObjective, string Districts, string Status, decimal? Score, string? Recommendation, decimal? AdjustedCost, string? AssessmentReasons, string? WithdrawalReason)
    {
        public Proposal ToDomain() => Proposal.Restore(Id, ProcessId, AgentId, Version, new ProposalContent(Title, Description, Cost, Location, Beneficiaries, PlanObjective, TextArrays.FromJson(Districts)),
            Enum.Parse<ProposalStatus>(Status), Score, Recommendation is { } r ? Enum.Parse<AssessmentRecommendation>(r) : null, AdjustedCost, AssessmentReasons, WithdrawalReason);
    }

    private sealed record ListedRow(Guid Id, string Title, decimal Cost, string Status, decimal? Score, decimal? AdjustedCost, int Version, string? Recommendation);

    private sealed record VersionRow(int Version, string Title, string Description, decimal Cost, string Location, int Beneficiaries, string PlanObjective, string Districts, DateTime CreatedAt,
        string? Recommendation, decimal? Score, decimal? AdjustedCost, string? AssessmentReasons, DateTime? AssessedAt);
}
