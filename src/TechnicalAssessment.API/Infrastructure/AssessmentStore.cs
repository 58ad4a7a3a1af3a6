using Dapper;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
using PBServices.TechnicalAssessment.Domain;
using DomainAssessment = PBServices.TechnicalAssessment.Domain.TechnicalAssessment;

namespace PBServices.TechnicalAssessment.Infrastructure;

/// <summary>Which of the team's work a queue shows.</summary>
public enum QueueView
{
    /// <summary>Every proposal at its newest version, pending or assessed (the queue before there were views).</summary>
    All,
    Pending,
    /// <summary>Pending and assigned to the caller.</summary>
    Mine,
    /// <summary>Pending after the process's Concertation window ended.</summary>
    Overdue,
}

/// <summary>An assessment with the day its process's Concertation window ends, when the service knows the calendar.</summary>
public sealed record QueuedAssessment(DomainAssessment Assessment, DateOnly? ConcertationEnds);

internal static class AssessmentStore
{
    private const string Columns =
        "a.id, a.proposal_id AS ProposalId, a.process_id AS ProcessId, a.jurisdiction, a.title, a.cost, a.status, a.viable, a.score, a.reasons, a.assessor, a.version, " +
        "a.recommendation, a.adjusted_cost AS AdjustedCost, a.description, a.location, a.beneficiaries, a.plan_objective AS PlanObjective, a.queued_at AS QueuedAt, " +
        "a.assigned_to AS AssignedTo, a.assigned_by AS AssignedBy, a.assigned_at AS AssignedAt, a.observations, a.completed_at AS CompletedAt, " +
        "c.assessment_id IS NOT NULL AS HasChecklist, c.pre_investment AS PreInvestment, c.viability_note AS ViabilityNote, c.cost_finding AS CostFinding, " +
        "c.adjusted_cost AS ChecklistAdjustedCost, c.cost_justification AS CostJustification, c.aligned_with_plan AS AlignedWithPlan, c.alignment_note AS AlignmentNote, " +
        "c.competence, c.duplication, c.duplicate_of_proposal AS DuplicateOfProposal, c.duplicate_of_project AS DuplicateOfProject, c.duplication_note AS DuplicationNote, " +
        "c.saved_by AS ChecklistSavedBy, c.saved_at AS ChecklistSavedAt, pc.concertation_to AS ConcertationEnds";

    private const string From =
        "FROM assessments a LEFT JOIN assessment_checklists c ON c.assessment_id = a.id LEFT JOIN process_calendars pc ON pc.process_id = a.process_id";

    /// <summary>
    /// Queues a version once, however often its event is delivered; whichever order versions arrive in, only the
    /// newest is pending (at most one per proposal, as the database's unique index insists), the earlier ones superseded.
    /// </summary>
    public static async Task InsertAsync(this UnitOfWork uow, DomainAssessment a, CancellationToken ct)
    {
        await uow.Connection.ExecuteAsync(uow.Command(
            "UPDATE assessments SET status = 'Superseded' WHERE proposal_id = @ProposalId AND status = 'Pending' AND version < @Version",
            new { a.ProposalId, a.Version }, ct));
        await uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO assessments (id, proposal_id, process_id, jurisdiction, title, cost, status, queued_at, version, description, location, beneficiaries, plan_objective)
            SELECT @Id, @ProposalId, @ProcessId, @Jurisdiction, @Title, @Cost,
                   CASE WHEN EXISTS (SELECT 1 FROM assessments WHERE proposal_id = @ProposalId AND version > @Version) THEN 'Superseded' ELSE @Status END,
                   @now, @Version, @Description, @Location, @Beneficiaries, @PlanObjective
            ON CONFLICT (proposal_id, version) DO NOTHING
            """, new
            {
                a.Id, a.ProposalId, a.ProcessId, a.Jurisdiction, a.Title, a.Cost, Status = a.Status.ToString(), now = uow.Now, a.Version,
                a.Description, a.Location, a.Beneficiaries, a.PlanObjective,
            }, ct));
    }

    /// <summary>The assessment of the proposal's newest version.</summary>
    public static async Task<DomainAssessment> GetByProposalAsync(this UnitOfWork uow, Guid proposalId, CancellationToken ct, bool forUpdate = false)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<Row>(uow.Command(
            $"SELECT {Columns} {From} WHERE a.proposal_id = @proposalId ORDER BY a.version DESC LIMIT 1 {(forUpdate ? "FOR UPDATE OF a" : "")}", new { proposalId }, ct));
        return row?.ToDomain() ?? throw new NotFoundException("Assessment of proposal", proposalId);
    }

    /// <summary>Every version's assessment, oldest first.</summary>
    public static async Task<IReadOnlyList<DomainAssessment>> GetHistoryAsync(this UnitOfWork uow, Guid proposalId, CancellationToken ct)
    {
        var rows = (await uow.Connection.QueryAsync<Row>(uow.Command(
            $"SELECT {Columns} {From} WHERE a.proposal_id = @proposalId ORDER BY a.version", new { proposalId }, ct))).ToList();
        return rows.Count > 0 ? rows.Select(r => r.ToDomain()).ToList() : throw new NotFoundException("Assessment of proposal", proposalId);
    }

    /// <summary>
    /// Each proposal once, at its newest version: superseded versions are not the team's work any more. The view
    /// narrows it in SQL, except Overdue, which the caller decides by the day in Peru (<see cref="DomainAssessment.IsOverdue"/>).
    /// </summary>
    public static async Task<IReadOnlyList<QueuedAssessment>> GetQueueAsync(this UnitOfWork uow, string jurisdiction, Guid? processId, QueueView view, string member,
        CancellationToken ct)
    {
        var rows = await uow.Connection.QueryAsync<Row>(uow.Command(
            $"""
            SELECT {Columns} {From}
            WHERE a.jurisdiction = @jurisdiction AND (@processId::uuid IS NULL OR a.process_id = @processId) AND a.status <> 'Superseded'
              AND a.version = (SELECT max(version) FROM assessments v WHERE v.proposal_id = a.proposal_id)
              AND (@view = 'All' OR a.status = 'Pending')
              AND (@view <> 'Mine' OR a.assigned_to = @member)
              AND (@view <> 'Overdue' OR pc.concertation_to IS NOT NULL)
            ORDER BY a.queued_at, a.id
            """, new { jurisdiction, processId, view = view.ToString(), member }, ct));
        return rows.Select(r => new QueuedAssessment(r.ToDomain(), r.ConcertationEnds)).ToList();
    }

    /// <summary>Whether <paramref name="proposalId"/> is a proposal of the process, as the queue knows proposals.</summary>
    public static Task<bool> IsProposalOfProcessAsync(this UnitOfWork uow, Guid proposalId, Guid processId, CancellationToken ct) =>
        uow.Connection.ExecuteScalarAsync<bool>(uow.Command(
            "SELECT EXISTS (SELECT 1 FROM assessments WHERE proposal_id = @proposalId AND process_id = @processId)", new { proposalId, processId }, ct));

    public static Task AssignAsync(this UnitOfWork uow, DomainAssessment a, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            "UPDATE assessments SET assigned_to = @AssignedTo, assigned_by = @AssignedBy, assigned_at = @AssignedAt WHERE id = @Id",
            new { a.Id, a.AssignedTo, a.AssignedBy, a.AssignedAt }, ct));

    /// <summary>The checklist replaces the one saved before: it is one answer, resaved until the recommendation.</summary>
    public static Task SaveChecklistAsync(this UnitOfWork uow, DomainAssessment a, CancellationToken ct)
    {
        var c = a.Checklist ?? throw new InvalidOperationException("No checklist to save");
        return uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO assessment_checklists (assessment_id, pre_investment, viability_note, cost_finding, adjusted_cost, cost_justification, aligned_with_plan, alignment_note,
                competence, duplication, duplicate_of_proposal, duplicate_of_project, duplication_note, saved_by, saved_at)
            VALUES (@Id, @PreInvestment, @ViabilityNote, @CostFinding, @AdjustedCost, @CostJustification, @AlignedWithPlan, @AlignmentNote,
                @Competence, @Duplication, @DuplicateOfProposal, @DuplicateOfProject, @DuplicationNote, @SavedBy, @SavedAt)
            ON CONFLICT (assessment_id) DO UPDATE SET pre_investment = excluded.pre_investment, viability_note = excluded.viability_note,
                cost_finding = excluded.cost_finding, adjusted_cost = excluded.adjusted_cost, cost_justification = excluded.cost_justification,
                aligned_with_plan = excluded.aligned_with_plan, alignment_note = excluded.alignment_note, competence = excluded.competence,
                duplication = excluded.duplication, duplicate_of_proposal = excluded.duplicate_of_proposal, duplicate_of_project = excluded.duplicate_of_project,
                duplication_note = excluded.duplication_note, saved_by = excluded.saved_by, saved_at = excluded.saved_at
            """, new
            {
                a.Id, PreInvestment = c.PreInvestment?.ToString(), c.ViabilityNote, CostFinding = c.CostFinding?.ToString(), c.AdjustedCost, c.CostJustification,
                c.AlignedWithPlan, c.AlignmentNote, Competence = c.Competence?.ToString(), Duplication = c.Duplication?.ToString(), c.DuplicateOfProposal,
                c.DuplicateOfProject, c.DuplicationNote, SavedBy = a.ChecklistSavedBy, SavedAt = a.ChecklistSavedAt,
            }, ct));
    }

    public static Task CompleteAsync(this UnitOfWork uow, DomainAssessment a, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            UPDATE assessments SET status = @Status, viable = @Viable, score = @Score, reasons = @Reasons, assessor = @Assessor, completed_at = @now,
                recommendation = @recommendation, adjusted_cost = @AdjustedCost, observations = @Observations
            WHERE id = @Id
            """,
            new
            {
                a.Id, Status = a.Status.ToString(), a.Viable, a.Score, a.Reasons, a.Assessor, now = uow.Now, recommendation = a.Recommendation?.ToString(), a.AdjustedCost,
                a.Observations,
            }, ct));

    /// <summary>The copy of a process's level and Concertation window, from <see cref="ProcessOpened"/>; the first delivery wins.</summary>
    public static Task KeepCalendarAsync(this UnitOfWork uow, ProcessOpened e, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO process_calendars (process_id, level, concertation_from, concertation_to) VALUES (@ProcessId, @level, @from, @to)
            ON CONFLICT (process_id) DO NOTHING
            """, new { e.ProcessId, level = e.Level.ToString(), from = e.Calendar?.Concertation.From, to = e.Calendar?.Concertation.To }, ct));

    /// <summary>The level of the government running the process; null for processes opened before the service kept calendars.</summary>
    public static async Task<GovernmentLevel?> GetProcessLevelAsync(this UnitOfWork uow, Guid processId, CancellationToken ct) =>
        await uow.Connection.ExecuteScalarAsync<string?>(uow.Command("SELECT level FROM process_calendars WHERE process_id = @processId", new { processId }, ct))
            is { } level ? Enum.Parse<GovernmentLevel>(level) : null;

    private sealed record Row(Guid Id, Guid ProposalId, Guid ProcessId, string Jurisdiction, string Title, decimal Cost, string Status, bool? Viable, decimal? Score, string? Reasons,
        string? Assessor, int Version, string? Recommendation, decimal? AdjustedCost, string? Description, string? Location, int? Beneficiaries, string? PlanObjective,
        DateTime QueuedAt, string? AssignedTo, string? AssignedBy, DateTime? AssignedAt, string? Observations, DateTime? CompletedAt,
        bool HasChecklist, string? PreInvestment, string? ViabilityNote, string? CostFinding, decimal? ChecklistAdjustedCost, string? CostJustification,
        bool? AlignedWithPlan, string? AlignmentNote, string? Competence, string? Duplication, Guid? DuplicateOfProposal, string? DuplicateOfProject,
        string? DuplicationNote, string? ChecklistSavedBy, DateTime? ChecklistSavedAt, DateOnly? ConcertationEnds)
    {
        public DomainAssessment ToDomain()
        {
            var checklist = HasChecklist
                ? new AssessmentChecklist(Parse<PreInvestmentStatus>(PreInvestment), ViabilityNote, Parse<Domain.CostFinding>(CostFinding), ChecklistAdjustedCost,
                    CostJustification, AlignedWithPlan, AlignmentNote, Parse<GovernmentLevel>(Competence), Parse<Domain.Duplication>(Duplication), DuplicateOfProposal,
                    DuplicateOfProject, DuplicationNote)
                : null;
            return DomainAssessment.Restore(Id, ProposalId, ProcessId, Jurisdiction, Title, Cost, Status, Viable, Score, Reasons, Assessor, Version,
                    Parse<AssessmentRecommendation>(Recommendation), AdjustedCost)
                .WithStored(Description, Location, Beneficiaries, PlanObjective, Utc(QueuedAt), AssignedTo, AssignedBy, Utc(AssignedAt), checklist, ChecklistSavedBy,
                    Utc(ChecklistSavedAt), Observations, Utc(CompletedAt));
        }

        // Npgsql reads timestamptz as a UTC DateTime, which Dapper's constructor mapping will not widen to DateTimeOffset.
        private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc), TimeSpan.Zero);

        private static DateTimeOffset? Utc(DateTime? t) => t is { } v ? Utc(v) : null;

        private static T? Parse<T>(string? value) where T : struct, Enum => value is null ? null : Enum.Parse<T>(value);
    }
}
