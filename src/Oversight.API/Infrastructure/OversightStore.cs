using System.Text.Json;
using Dapper;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Oversight.Domain;

namespace PBServices.Oversight.Infrastructure;

/// <summary>An evidence document's description, without its content.</summary>
public sealed record EvidenceInfo(Guid Id, Guid ProposalId, Guid? MilestoneId, string Description, string ContentType, int Size, string Sha256, DateTimeOffset RecordedAt);

internal static class OversightStore
{
    // ---- copies kept from events ----

    /// <summary>A process as registration opened it, with the law's default settings; the first delivery wins.</summary>
    public static Task InsertProcessAsync(this UnitOfWork uow, ProcessOpened e, CancellationToken ct)
    {
        var settings = OversightSettings.Default(e.FiscalYear);
        return uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO processes (process_id, jurisdiction, name, level, fiscal_year, budget_deadline, answer_days, stale_days, term_ends)
            VALUES (@ProcessId, @Jurisdiction, @Name, @level, @FiscalYear, @BudgetDeadline, @AnswerDays, @StaleDays, @TermEnds)
            ON CONFLICT (process_id) DO NOTHING
            """, new
            {
                e.ProcessId, e.Jurisdiction, e.Name, level = e.Level.ToString(), e.FiscalYear, settings.BudgetDeadline, settings.AnswerDays, settings.StaleDays,
                settings.TermEnds,
            }, ct));
    }

    /// <summary>The formalized list's projects, their co-financing and the elected committee, once.</summary>
    public static async Task InsertFormalizedAsync(this UnitOfWork uow, ListFormalized e, CancellationToken ct)
    {
        var updated = await uow.Connection.ExecuteAsync(uow.Command(
            """
            UPDATE processes SET list_id = @ListId, acta_reference = @ActaReference, formalized_at = @ApprovedAt
            WHERE process_id = @ProcessId AND list_id IS NULL
            """, new { e.ProcessId, e.ListId, e.ActaReference, e.ApprovedAt }, ct));
        if (updated == 0)
        {
            if (!await uow.Connection.ExecuteScalarAsync<bool>(uow.Command("SELECT EXISTS (SELECT 1 FROM processes WHERE process_id = @ProcessId)", new { e.ProcessId }, ct)))
            {
                // ProcessOpened travels on another queue and may not have arrived yet: fail so the retry finds it.
                throw new InvalidOperationException($"Process {e.ProcessId} is not known yet");
            }
            return;
        }
        var termFrom = DateWindow.DayInPeru(e.ApprovedAt);
        var dossier = (e.Dossier ?? []).ToDictionary(d => d.ProposalId);
        foreach (var p in e.Projects)
        {
            var d = dossier.GetValueOrDefault(p.ProposalId);
            await uow.Connection.ExecuteAsync(uow.Command(
                """
                INSERT INTO projects (proposal_id, process_id, rank, title, agreed_cost, own_share, plan_objective, current_cost)
                VALUES (@ProposalId, @processId, @Rank, @Title, @Cost, @ownShare, @planObjective, @Cost)
                """, new { p.ProposalId, processId = e.ProcessId, p.Rank, p.Title, p.Cost, ownShare = d?.OwnShare ?? p.Cost, planObjective = d?.PlanObjective }, ct));
            foreach (var s in d?.Cofinancing ?? [])
            {
                await uow.Connection.ExecuteAsync(uow.Command(
                    """
                    INSERT INTO cofinancing (proposal_id, party_kind, party, contribution, amount) VALUES (@ProposalId, @PartyKind, @Party, @Contribution, @Amount)
                    ON CONFLICT DO NOTHING
                    """, new { p.ProposalId, s.PartyKind, s.Party, s.Contribution, s.Amount }, ct));
            }
        }
        foreach (var m in e.Committee ?? [])
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                """
                INSERT INTO committee_members (process_id, seat, agent_id, full_name, organisation, quota, term_from)
                VALUES (@processId, @Seat, @AgentId, @FullName, @Organisation, @Quota, @termFrom)
                """, new { processId = e.ProcessId, m.Seat, m.AgentId, m.FullName, m.Organisation, m.Quota, termFrom }, ct));
        }
    }

    public static async Task ApplyMinistryDecisionAsync(this UnitOfWork uow, ProjectDecided e, CancellationToken ct)
    {
        var updated = await uow.Connection.ExecuteAsync(uow.Command(
            """
            UPDATE projects SET ministry_approved = @Approved, ministry_amount = @ApprovedAmount, ministry_reason = @Reason, ministry_decided_at = @DecidedAt
            WHERE proposal_id = @ProposalId
            """, new { e.ProposalId, e.Approved, e.ApprovedAmount, e.Reason, e.DecidedAt }, ct));
        if (updated == 0)
        {
            // The formalized list travels on another queue: fail so the retry finds the project.
            throw new InvalidOperationException($"Project {e.ProposalId} is not known yet");
        }
    }

    // ---- processes ----

    public static async Task<OversightProcess> GetProcessAsync(this UnitOfWork uow, Guid processId, CancellationToken ct, bool forUpdate = false) =>
        (await uow.GetProcessesAsync("p.process_id = @processId" + (forUpdate ? " FOR UPDATE OF p" : ""), new { processId }, ct)).SingleOrDefault()
        ?? throw new NotFoundException("Process", processId);

    /// <summary>A jurisdiction's processes, newest fiscal year first; every jurisdiction's with null.</summary>
    public static Task<IReadOnlyList<OversightProcess>> ListProcessesAsync(this UnitOfWork uow, string? jurisdiction, int? fiscalYear, CancellationToken ct) =>
        uow.GetProcessesAsync("(@jurisdiction::text IS NULL OR p.jurisdiction = @jurisdiction) AND (@fiscalYear::int IS NULL OR p.fiscal_year = @fiscalYear) AND p.formalized_at IS NOT NULL",
            new { jurisdiction, fiscalYear }, ct);

    private static async Task<IReadOnlyList<OversightProcess>> GetProcessesAsync(this UnitOfWork uow, string where, object args, CancellationToken ct)
    {
        var rows = (await uow.Connection.QueryAsync<ProcessRow>(uow.Command(
            $"""
            SELECT p.process_id AS ProcessId, p.jurisdiction, p.name, p.level, p.fiscal_year AS FiscalYear, p.budget_deadline AS BudgetDeadline, p.answer_days AS AnswerDays,
                   p.stale_days AS StaleDays, p.term_ends AS TermEnds, p.list_id AS ListId, p.acta_reference AS ActaReference, p.formalized_at AS FormalizedAt
            FROM processes p WHERE {where}
            """, args, ct))).ToList();
        var ids = rows.Select(r => r.ProcessId).ToArray();
        var members = (await uow.Connection.QueryAsync<MemberRow>(uow.Command(
            """
            SELECT process_id AS ProcessId, seat, agent_id AS AgentId, full_name AS FullName, organisation, quota, term_from AS TermFrom
            FROM committee_members WHERE process_id = ANY(@ids) ORDER BY seat
            """, new { ids }, ct))).ToLookup(m => m.ProcessId);
        return rows.OrderByDescending(r => r.FiscalYear).ThenBy(r => r.Name).ThenBy(r => r.ProcessId)
            .Select(r => new OversightProcess(r.ProcessId, r.Jurisdiction, r.Name, Enum.Parse<GovernmentLevel>(r.Level), r.FiscalYear,
                new OversightSettings(r.BudgetDeadline, r.AnswerDays, r.StaleDays, r.TermEnds), r.ListId, r.ActaReference, Utc(r.FormalizedAt),
                members[r.ProcessId].Select(m => new CommitteeMember(m.Seat, m.AgentId, m.FullName, m.Organisation, m.Quota, m.TermFrom)).ToList()))
            .ToList();
    }

    public static Task UpdateSettingsAsync(this UnitOfWork uow, Guid processId, OversightSettings s, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            "UPDATE processes SET budget_deadline = @BudgetDeadline, answer_days = @AnswerDays, stale_days = @StaleDays, term_ends = @TermEnds WHERE process_id = @processId",
            new { processId, s.BudgetDeadline, s.AnswerDays, s.StaleDays, s.TermEnds }, ct));

    // ---- projects ----

    public static async Task<AgreedProject> GetProjectAsync(this UnitOfWork uow, Guid proposalId, CancellationToken ct, bool forUpdate = false) =>
        (await uow.GetProjectsAsync("proposal_id = @proposalId" + (forUpdate ? " FOR UPDATE" : ""), new { proposalId }, ct)).SingleOrDefault()
        ?? throw new NotFoundException("Agreed project", proposalId);

    public static Task<IReadOnlyList<AgreedProject>> GetProjectsOfAsync(this UnitOfWork uow, IReadOnlyCollection<Guid> processIds, CancellationToken ct) =>
        uow.GetProjectsAsync("process_id = ANY(@ids)", new { ids = processIds.ToArray() }, ct);

    private static async Task<IReadOnlyList<AgreedProject>> GetProjectsAsync(this UnitOfWork uow, string where, object args, CancellationToken ct)
    {
        var rows = (await uow.Connection.QueryAsync<ProjectRow>(uow.Command(
            $"""
            SELECT proposal_id AS ProposalId, process_id AS ProcessId, rank, title, agreed_cost AS AgreedCost, own_share AS OwnShare, plan_objective AS PlanObjective,
                   current_cost AS CurrentCost, postponed_to AS PostponedTo, split_parts AS SplitParts, executor_kind AS ExecutorKind, executor_name AS ExecutorName,
                   executor_agreement AS ExecutorAgreement, ministry_approved AS MinistryApproved, ministry_amount AS MinistryAmount, ministry_reason AS MinistryReason,
                   ministry_decided_at AS MinistryDecidedAt
            FROM projects WHERE {where}
            """, args, ct))).ToList();
        var ids = rows.Select(r => r.ProposalId).ToArray();
        var shares = (await uow.Connection.QueryAsync<(Guid ProposalId, string PartyKind, string Party, string Contribution, decimal Amount)>(uow.Command(
            "SELECT proposal_id, party_kind, party, contribution, amount FROM cofinancing WHERE proposal_id = ANY(@ids) ORDER BY party_kind, party, contribution",
            new { ids }, ct))).ToLookup(s => s.ProposalId);
        var budget = (await uow.Connection.QueryAsync<BudgetRow>(uow.Command(
            """
            SELECT id, proposal_id AS ProposalId, included, budget_code AS BudgetCode, amount, reason, recorded_by AS RecordedBy, recorded_at AS RecordedAt
            FROM budget_entries WHERE proposal_id = ANY(@ids) ORDER BY recorded_at, id
            """, new { ids }, ct))).ToLookup(b => b.ProposalId);
        var milestones = (await uow.Connection.QueryAsync<MilestoneRow>(uow.Command(
            """
            SELECT id, proposal_id AS ProposalId, kind, on_date AS OnDate, progress, committed, spent, overspend_reason AS OverspendReason, note,
                   recorded_by AS RecordedBy, recorded_at AS RecordedAt
            FROM milestones WHERE proposal_id = ANY(@ids) ORDER BY recorded_at, id
            """, new { ids }, ct))).ToLookup(m => m.ProposalId);
        var changes = (await uow.Connection.QueryAsync<ChangeRow>(uow.Command(
            """
            SELECT id, proposal_id AS ProposalId, kind, decided_by AS DecidedBy, reason, new_cost AS NewCost, postponed_to AS PostponedTo, parts::text AS Parts,
                   recorded_by AS RecordedBy, recorded_at AS RecordedAt
            FROM changes WHERE proposal_id = ANY(@ids) ORDER BY recorded_at, id
            """, new { ids }, ct))).ToLookup(c => c.ProposalId);
        var contributions = (await uow.Connection.QueryAsync<ContributionRow>(uow.Command(
            """
            SELECT id, proposal_id AS ProposalId, party_kind AS PartyKind, party, contribution, amount, on_date AS OnDate, note, recorded_by AS RecordedBy, recorded_at AS RecordedAt
            FROM contributions WHERE proposal_id = ANY(@ids) ORDER BY on_date, recorded_at, id
            """, new { ids }, ct))).ToLookup(c => c.ProposalId);
        return rows.OrderBy(r => r.ProcessId).ThenBy(r => r.Rank).Select(r => AgreedProject.Restore(r.ProposalId, r.ProcessId, r.Rank, r.Title, r.AgreedCost, r.OwnShare,
                r.PlanObjective, r.CurrentCost, r.PostponedTo, r.SplitParts,
                new Executor(Enum.Parse<ExecutorKind>(r.ExecutorKind), r.ExecutorName, r.ExecutorAgreement),
                r.MinistryApproved is { } approved ? new MinistryDecision(approved, r.MinistryAmount ?? 0, r.MinistryReason ?? "", Utc(r.MinistryDecidedAt!.Value)) : null,
                shares[r.ProposalId].Select(s => new AgreedShare(s.PartyKind, s.Party, s.Contribution, s.Amount)).ToList(),
                budget[r.ProposalId].Select(b => new BudgetEntry(b.Id, b.Included, b.BudgetCode, b.Amount, b.Reason, b.RecordedBy, Utc(b.RecordedAt))).ToList(),
                milestones[r.ProposalId].Select(m => new Milestone(m.Id, Enum.Parse<MilestoneKind>(m.Kind), m.OnDate, m.Progress, m.Committed, m.Spent, m.OverspendReason,
                    m.Note, m.RecordedBy, Utc(m.RecordedAt))).ToList(),
                changes[r.ProposalId].Select(c => new ProjectChange(c.Id, Enum.Parse<ChangeKind>(c.Kind), c.DecidedBy, c.Reason, c.NewCost, c.PostponedTo,
                    c.Parts is null ? null : JsonSerializer.Deserialize<List<SplitPart>>(c.Parts, EventJson.Options), c.RecordedBy, Utc(c.RecordedAt))).ToList(),
                contributions[r.ProposalId].Select(c => new Contribution(c.Id, c.PartyKind, c.Party, c.Contribution, c.Amount, c.OnDate, c.Note, c.RecordedBy,
                    Utc(c.RecordedAt))).ToList()))
            .ToList();
    }

    public static Task InsertBudgetEntryAsync(this UnitOfWork uow, Guid proposalId, BudgetEntry b, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO budget_entries (id, proposal_id, included, budget_code, amount, reason, recorded_by, recorded_at)
            VALUES (@Id, @proposalId, @Included, @BudgetCode, @Amount, @Reason, @RecordedBy, @RecordedAt)
            """, new { proposalId, b.Id, b.Included, b.BudgetCode, b.Amount, b.Reason, b.RecordedBy, b.RecordedAt }, ct));

    public static Task InsertMilestoneAsync(this UnitOfWork uow, Guid proposalId, Milestone m, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO milestones (id, proposal_id, kind, on_date, progress, committed, spent, overspend_reason, note, recorded_by, recorded_at)
            VALUES (@Id, @proposalId, @kind, @Date, @Progress, @Committed, @Spent, @OverspendReason, @Note, @RecordedBy, @RecordedAt)
            """, new { proposalId, m.Id, kind = m.Kind.ToString(), m.Date, m.Progress, m.Committed, m.Spent, m.OverspendReason, m.Note, m.RecordedBy, m.RecordedAt }, ct));

    public static async Task InsertChangeAsync(this UnitOfWork uow, AgreedProject p, ProjectChange c, CancellationToken ct)
    {
        await uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO changes (id, proposal_id, kind, decided_by, reason, new_cost, postponed_to, parts, recorded_by, recorded_at)
            VALUES (@Id, @ProposalId, @kind, @DecidedBy, @Reason, @NewCost, @PostponedTo, @parts::jsonb, @RecordedBy, @RecordedAt)
            """, new
            {
                c.Id, p.ProposalId, kind = c.Kind.ToString(), c.DecidedBy, c.Reason, c.NewCost, c.PostponedTo,
                parts = c.Parts is null ? null : JsonSerializer.Serialize(c.Parts, EventJson.Options), c.RecordedBy, c.RecordedAt,
            }, ct));
        await uow.Connection.ExecuteAsync(uow.Command(
            "UPDATE projects SET current_cost = @CurrentCost, postponed_to = @PostponedTo, split_parts = @SplitParts WHERE proposal_id = @ProposalId",
            new { p.ProposalId, p.CurrentCost, p.PostponedTo, p.SplitParts }, ct));
    }

    public static Task UpdateExecutorAsync(this UnitOfWork uow, Guid proposalId, Executor e, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            "UPDATE projects SET executor_kind = @kind, executor_name = @Organisation, executor_agreement = @Agreement WHERE proposal_id = @proposalId",
            new { proposalId, kind = e.Kind.ToString(), e.Organisation, e.Agreement }, ct));

    public static Task InsertContributionAsync(this UnitOfWork uow, Guid proposalId, Contribution c, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO contributions (id, proposal_id, party_kind, party, contribution, amount, on_date, note, recorded_by, recorded_at)
            VALUES (@Id, @proposalId, @PartyKind, @Party, @Kind, @Amount, @Date, @Note, @RecordedBy, @RecordedAt)
            """, new { proposalId, c.Id, c.PartyKind, c.Party, c.Kind, c.Amount, c.Date, c.Note, c.RecordedBy, c.RecordedAt }, ct));

    // ---- evidence ----

    public static Task InsertEvidenceAsync(this UnitOfWork uow, EvidenceInfo e, byte[] content, string recordedBy, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO evidence (id, proposal_id, milestone_id, description, content_type, size, sha256, content, recorded_by, recorded_at)
            VALUES (@Id, @ProposalId, @MilestoneId, @Description, @ContentType, @Size, @Sha256, @content, @recordedBy, @RecordedAt)
            """, new { e.Id, e.ProposalId, e.MilestoneId, e.Description, e.ContentType, e.Size, e.Sha256, content, recordedBy, e.RecordedAt }, ct));

    public static async Task<IReadOnlyList<EvidenceInfo>> ListEvidenceAsync(this UnitOfWork uow, IReadOnlyCollection<Guid> proposalIds, CancellationToken ct) =>
        (await uow.Connection.QueryAsync<EvidenceRow>(uow.Command(
            """
            SELECT id, proposal_id AS ProposalId, milestone_id AS MilestoneId, description, content_type AS ContentType, size, sha256, recorded_at AS RecordedAt
            FROM evidence WHERE proposal_id = ANY(@ids) ORDER BY recorded_at, id
            """, new { ids = proposalIds.ToArray() }, ct)))
        .Select(r => new EvidenceInfo(r.Id, r.ProposalId, r.MilestoneId, r.Description, r.ContentType, r.Size, r.Sha256, Utc(r.RecordedAt))).ToList();

    public static async Task<(string ContentType, byte[] Content)> GetEvidenceContentAsync(this UnitOfWork uow, Guid proposalId, Guid evidenceId, CancellationToken ct) =>
        await uow.Connection.QuerySingleOrDefaultAsync<(string, byte[])?>(uow.Command(
            "SELECT content_type, content FROM evidence WHERE id = @evidenceId AND proposal_id = @proposalId", new { proposalId, evidenceId }, ct))
        ?? throw new NotFoundException("Evidence", evidenceId);

    // ---- findings ----

    public static Task InsertFindingAsync(this UnitOfWork uow, Finding f, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO findings (id, process_id, proposal_id, kind, text, raised_by, raised_at, answer_due)
            VALUES (@Id, @ProcessId, @ProposalId, @kind, @Text, @RaisedBy, @RaisedAt, @AnswerDue)
            """, new { f.Id, f.ProcessId, f.ProposalId, kind = f.Kind.ToString(), f.Text, f.RaisedBy, f.RaisedAt, f.AnswerDue }, ct));

    public static Task InsertAnswerAsync(this UnitOfWork uow, Guid findingId, Answer a, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            "INSERT INTO finding_answers (id, finding_id, text, answered_by, answered_at) VALUES (@Id, @findingId, @Text, @AnsweredBy, @AnsweredAt)",
            new { findingId, a.Id, a.Text, a.AnsweredBy, a.AnsweredAt }, ct));

    /// <summary>Once: the condition keeps a concurrent second escalation from overwriting the first.</summary>
    public static async Task EscalateAsync(this UnitOfWork uow, Finding f, CancellationToken ct)
    {
        var updated = await uow.Connection.ExecuteAsync(uow.Command(
            "UPDATE findings SET escalated_by = @EscalatedBy, escalated_at = @EscalatedAt, escalation_reason = @EscalationReason WHERE id = @Id AND escalated_at IS NULL",
            new { f.Id, f.EscalatedBy, f.EscalatedAt, f.EscalationReason }, ct));
        if (updated == 0)
        {
            throw new ConflictException("findingId", "Already escalated to the council");
        }
    }

    public static async Task<Finding> GetFindingAsync(this UnitOfWork uow, Guid findingId, CancellationToken ct, bool forUpdate = false) =>
        (await uow.GetFindingsAsync("id = @findingId" + (forUpdate ? " FOR UPDATE" : ""), new { findingId }, ct)).SingleOrDefault()
        ?? throw new NotFoundException("Finding", findingId);

    public static Task<IReadOnlyList<Finding>> GetFindingsOfAsync(this UnitOfWork uow, Guid processId, CancellationToken ct) =>
        uow.GetFindingsAsync("process_id = @processId", new { processId }, ct);

    private static async Task<IReadOnlyList<Finding>> GetFindingsAsync(this UnitOfWork uow, string where, object args, CancellationToken ct)
    {
        var rows = (await uow.Connection.QueryAsync<FindingRow>(uow.Command(
            $"""
            SELECT id, process_id AS ProcessId, proposal_id AS ProposalId, kind, text, raised_by AS RaisedBy, raised_at AS RaisedAt, answer_due AS AnswerDue,
                   escalated_by AS EscalatedBy, escalated_at AS EscalatedAt, escalation_reason AS EscalationReason
            FROM findings WHERE {where}
            """, args, ct))).ToList();
        var ids = rows.Select(r => r.Id).ToArray();
        var answers = (await uow.Connection.QueryAsync<(Guid Id, Guid FindingId, string Text, string AnsweredBy, DateTime AnsweredAt)>(uow.Command(
            "SELECT id, finding_id, text, answered_by, answered_at FROM finding_answers WHERE finding_id = ANY(@ids) ORDER BY answered_at, id", new { ids }, ct)))
            .ToLookup(a => a.FindingId);
        return rows.OrderBy(r => r.RaisedAt).ThenBy(r => r.Id).Select(r => Finding.Restore(r.Id, r.ProcessId, r.ProposalId, Enum.Parse<FindingKind>(r.Kind), r.Text, r.RaisedBy,
                Utc(r.RaisedAt), Utc(r.AnswerDue), answers[r.Id].Select(a => new Answer(a.Id, a.Text, a.AnsweredBy, Utc(a.AnsweredAt))).ToList(), r.EscalatedBy,
                Utc(r.EscalatedAt), r.EscalationReason))
            .ToList();
    }

    // Npgsql reads timestamptz as a UTC DateTime, which Dapper's constructor mapping will not widen to DateTimeOffset.
    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc), TimeSpan.Zero);

    private static DateTimeOffset? Utc(DateTime? t) => t is { } v ? Utc(v) : null;

    private sealed record ProcessRow(Guid ProcessId, string Jurisdiction, string Name, string Level, int FiscalYear, DateOnly BudgetDeadline, int AnswerDays, int StaleDays,
        DateOnly TermEnds, Guid? ListId, string? ActaReference, DateTime? FormalizedAt);

    private sealed record MemberRow(Guid ProcessId, int Seat, Guid AgentId, string FullName, string Organisation, string? Quota, DateOnly TermFrom);

    private sealed record ProjectRow(Guid ProposalId, Guid ProcessId, int Rank, string Title, decimal AgreedCost, decimal OwnShare, string? PlanObjective, decimal CurrentCost,
        int? PostponedTo, int? SplitParts, string ExecutorKind, string? ExecutorName, string? ExecutorAgreement, bool? MinistryApproved, decimal? MinistryAmount,
        string? MinistryReason, DateTime? MinistryDecidedAt);

    private sealed record BudgetRow(Guid Id, Guid ProposalId, bool Included, string? BudgetCode, decimal? Amount, string? Reason, string RecordedBy, DateTime RecordedAt);

    private sealed record MilestoneRow(Guid Id, Guid ProposalId, string Kind, DateOnly OnDate, int Progress, decimal Committed, decimal Spent, string? OverspendReason,
        string? Note, string RecordedBy, DateTime RecordedAt);

    private sealed record ChangeRow(Guid Id, Guid ProposalId, string Kind, string DecidedBy, string Reason, decimal? NewCost, int? PostponedTo, string? Parts, string RecordedBy,
        DateTime RecordedAt);

    private sealed record ContributionRow(Guid Id, Guid ProposalId, string PartyKind, string Party, string Contribution, decimal Amount, DateOnly OnDate, string? Note,
        string RecordedBy, DateTime RecordedAt);

    private sealed record EvidenceRow(Guid Id, Guid ProposalId, Guid? MilestoneId, string Description, string ContentType, int Size, string Sha256, DateTime RecordedAt);

    private sealed record FindingRow(Guid Id, Guid ProcessId, Guid? ProposalId, string Kind, string Text, Guid RaisedBy, DateTime RaisedAt, DateTime AnswerDue,
        Guid? EscalatedBy, DateTime? EscalatedAt, string? EscalationReason);
}
