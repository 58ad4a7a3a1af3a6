using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Processes;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.TechnicalAssessment.Domain;

public enum AssessmentStatus
{
    Pending,
    Completed,
    /// <summary>The proposer revised the proposal before this version was assessed: the new version is assessed instead.</summary>
    Superseded,
}

/// <summary>
/// The technical team's assessment of one version of a proposal: the whole version in view (as the proposer
/// submitted it), who works it, the checklist, a recommendation, a criteria score and the reasons.
/// </summary>
/// <remarks>
/// A technical-team lead assigns a pending assessment to a member; once assigned, only that member or a lead works
/// its checklist and recommends. An unassigned assessment may still be worked by any member of the team: small
/// municipalities have a team of one or two without a lead, and they recommend directly, as before assignment existed.
/// </remarks>
public sealed class TechnicalAssessment
{
    public const decimal MaxScore = 100m;

    public Guid Id { get; init; }
    public Guid ProposalId { get; init; }
    public Guid ProcessId { get; init; }
    public string Jurisdiction { get; init; } = "";
    public int Version { get; init; } = 1;
    public string Title { get; init; } = "";
    public decimal Cost { get; init; }
    /// <summary>The rest of the version; null only for assessments queued before the service kept them.</summary>
    public string? Description { get; init; }
    public string? Location { get; init; }
    public int? Beneficiaries { get; init; }
    public string? PlanObjective { get; init; }
    public DateTimeOffset QueuedAt { get; init; }
    public AssessmentStatus Status { get; private set; }
    public string? AssignedTo { get; private set; }
    public string? AssignedBy { get; private set; }
    public DateTimeOffset? AssignedAt { get; private set; }
    public AssessmentChecklist? Checklist { get; private set; }
    public string? ChecklistSavedBy { get; private set; }
    public DateTimeOffset? ChecklistSavedAt { get; private set; }
    public bool? Viable { get; private set; }
    public AssessmentRecommendation? Recommendation { get; private set; }
    public decimal? AdjustedCost { get; private set; }
    public decimal? Score { get; private set; }
    public string? Reasons { get; private set; }
    /// <summary>What the proposer must address; set exactly when the recommendation is Observed.</summary>
    public string? Observations { get; private set; }
    public string? Assessor { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>Once assigned or with a checklist started, the recommendation follows the checklist; otherwise it stands on its own (the direct path).</summary>
    public bool WorkedByChecklist => AssignedTo is not null || Checklist is not null;

    /// <summary>
    /// Every submitted proposal enters the technical team's queue, in the order the proposals were submitted: events
    /// may arrive in another order (a redelivery, consumers working in parallel), so the place is the submission's time.
    /// </summary>
    public static TechnicalAssessment Queue(ProposalSubmitted e, DateTimeOffset now) =>
        new()
        {
            Id = Guid.CreateVersion7(now), ProposalId = e.ProposalId, ProcessId = e.ProcessId, Jurisdiction = e.Jurisdiction, Title = e.Title, Cost = e.Cost,
            Description = e.Description, Location = e.Location, Beneficiaries = e.Beneficiaries, PlanObjective = e.PlanObjective, QueuedAt = SubmittedAt(e, now),
            Status = AssessmentStatus.Pending,
        };

    private static DateTimeOffset SubmittedAt(IntegrationEvent e, DateTimeOffset received) => e.OccurredAt == default ? received : e.OccurredAt;

    /// <summary>Every revised version enters the queue as well, in place of an earlier one still pending, unassigned: the lead assigns it again.</summary>
    public static TechnicalAssessment Queue(ProposalRevised e, DateTimeOffset now) =>
        new()
        {
            Id = Guid.CreateVersion7(now), ProposalId = e.ProposalId, ProcessId = e.ProcessId, Jurisdiction = e.Jurisdiction, Version = e.Version, Title = e.Title, Cost = e.Cost,
            Description = e.Description, Location = e.Location, Beneficiaries = e.Beneficiaries, PlanObjective = e.PlanObjective, QueuedAt = SubmittedAt(e, now),
            Status = AssessmentStatus.Pending,
        };

    /// <summary>
    /// A lead gives the pending assessment to a member; reassigning is allowed until it is completed. Returns the
    /// member it was assigned to before, if any, for the audit trail.
    /// </summary>
    public string? Assign(ProcessStage process, string? assignee, string lead, DateTimeOffset now)
    {
        StageRule.Require(process.Stage, "Assigning an assessment", Stage.Concertation);
        EnsurePending();
        var member = Guard.Text("assignee", assignee, 200);
        if (member == AssignedTo)
        {
            throw new ConflictException("assignee", $"The assessment is already assigned to {member}");
        }
        var before = AssignedTo;
        AssignedTo = member;
        AssignedBy = lead;
        AssignedAt = now;
        return before;
    }

    /// <summary>
    /// Saves the checklist in place of the one saved before (partially answered is fine) on the pending newest version.
    /// <paramref name="isProposalOfProcess"/> says whether an id names a proposal of the same process.
    /// </summary>
    public void SaveChecklist(ProcessStage process, AssessmentChecklist checklist, string member, bool byLead, Func<Guid, bool> isProposalOfProcess, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(checklist);
        StageRule.Require(process.Stage, "Technical assessment", Stage.Concertation);
        EnsurePending();
        EnsureMayWork(member, byLead);
        Checklist = checklist.Validated(ProposalId, Cost, isProposalOfProcess);
        ChecklistSavedBy = member;
        ChecklistSavedAt = now;
    }

    /// <summary>
    /// A recommendation is final: the reasons are published beside the results, so it is never silently replaced.
    /// The technical team assesses during Concertation, before the agents prioritise. Without a
    /// <paramref name="recommendation"/>, <paramref name="viable"/> says Viable or NotViable (the request before there were four).
    /// </summary>
    /// <remarks>
    /// When the assessment is worked by checklist (<see cref="WorkedByChecklist"/>), the checklist must be complete and the
    /// recommendation must agree with it, as a technical team's report would:
    /// <list type="bullet">
    /// <item>a cost the checklist adjusted is recommended ViableAtAdjustedCost at that cost (an adjustedCost sent must be the same),
    /// and ViableAtAdjustedCost needs the checklist's adjustment;</item>
    /// <item>a viable recommendation needs the proposal aligned with the objective of the Concerted Development Plan, which is
    /// what participatory budgeting funds (Ley 28056);</item>
    /// <item>a viable recommendation of a matter of another level's competence names that level in the reasons (the coordination
    /// stage moves it up or co-finances it), and one of a duplicate names what it duplicates (to be merged, not funded twice);</item>
    /// <item>Observed needs the observations the proposer revises by.</item>
    /// </list>
    /// Without a checklist, Observed takes the reasons as its observations. <paramref name="processLevel"/> is the level of the
    /// government running the process, null when the service has not learnt it (processes opened before it kept calendars).
    /// </remarks>
    public AssessmentCompleted Recommend(ProcessStage process, bool? viable, decimal score, string? reasons, string assessor,
        AssessmentRecommendation? recommendation = null, decimal? adjustedCost = null, int? version = null,
        string? observations = null, bool byLead = false, GovernmentLevel? processLevel = null, DateTimeOffset? at = null)
    {
        StageRule.Require(process.Stage, "Technical assessment", Stage.Concertation);
        if (Status == AssessmentStatus.Completed)
        {
            throw new ConflictException("proposalId", "This proposal has already been assessed");
        }
        if (Status == AssessmentStatus.Superseded || version is { } v && v != Version)
        {
            throw new ConflictException("version", $"The proposer has revised the proposal: version {Version} is the one to assess");
        }
        EnsureMayWork(assessor, byLead);
        var verdict = recommendation ?? viable switch
        {
            true => AssessmentRecommendation.Viable,
            false => AssessmentRecommendation.NotViable,
            null => throw new DomainException("recommendation", "Viable, ViableAtAdjustedCost, Observed or NotViable"),
        };
        var isViable = verdict is AssessmentRecommendation.Viable or AssessmentRecommendation.ViableAtAdjustedCost;
        if (viable is { } said && said != isViable)
        {
            throw new DomainException("viable", $"A {verdict} recommendation is {(isViable ? "" : "not ")}viable");
        }
        if (score < 0 || score > MaxScore || decimal.Round(score, 2) != score)
        {
            throw new DomainException("score", $"The criteria score is between 0 and {MaxScore}, with at most two decimals");
        }
        if (WorkedByChecklist && (Checklist is null ? "preInvestment" : Checklist.MissingField()) is { } missing)
        {
            throw new ConflictException($"checklist.{missing}", "The checklist is not complete: answer every section before recommending");
        }
        var cost = WorkedByChecklist ? CostByChecklist(verdict, adjustedCost) : adjustedCost;
        if (verdict == AssessmentRecommendation.ViableAtAdjustedCost)
        {
            Guard.Soles("adjustedCost", cost ?? 0m);
            if (cost == Cost)
            {
                throw new DomainException("adjustedCost", $"The proposal already costs S/ {Cost:N2}: recommend Viable");
            }
        }
        else if (cost is not null)
        {
            throw new DomainException("adjustedCost", "Only a ViableAtAdjustedCost recommendation adjusts the cost");
        }
        // A recommendation states its reasons: they are published beside the results, and an observed proposal's proposer revises by them.
        var stated = Guard.Text("reasons", reasons, 4000);
        if (!isViable && score != 0)
        {
            throw new DomainException("score", $"A proposal found {verdict} is not ranked: its score is 0");
        }
        if (WorkedByChecklist && isViable)
        {
            RequireViableByChecklist(stated, processLevel);
        }
        string? observed = null;
        if (verdict == AssessmentRecommendation.Observed)
        {
            observed = WorkedByChecklist || !string.IsNullOrWhiteSpace(observations) ? Guard.Text("observations", observations, 4000) : stated;
        }
        else if (!string.IsNullOrWhiteSpace(observations))
        {
            throw new DomainException("observations", "Only an Observed recommendation returns observations to the proposer");
        }
        Status = AssessmentStatus.Completed;
        Viable = isViable;
        Recommendation = verdict;
        AdjustedCost = cost;
        Score = score;
        Reasons = stated;
        Observations = observed;
        Assessor = assessor;
        CompletedAt = at;
        return new AssessmentCompleted
        {
            ProcessId = ProcessId,
            Jurisdiction = Jurisdiction,
            AssessmentId = Id,
            ProposalId = ProposalId,
            Viable = isViable,
            Score = score,
            Reasons = stated,
            Recommendation = verdict,
            AdjustedCost = cost,
            Version = Version,
            Competence = Checklist?.Competence,
            DuplicateOf = Checklist?.DuplicateOf,
        };
    }

    /// <summary>True once the Concertation window has ended (counted in Peru's days) and the assessment is still pending.</summary>
    public bool IsOverdue(DateOnly? concertationEnds, DateTimeOffset now) =>
        Status == AssessmentStatus.Pending && concertationEnds is { } ends && DateWindow.DayInPeru(now) > ends;

    /// <summary>The cost a checklist-worked recommendation carries: the checklist's adjustment, exactly when the verdict is ViableAtAdjustedCost.</summary>
    private decimal? CostByChecklist(AssessmentRecommendation verdict, decimal? requested)
    {
        var checklist = Checklist!;
        var adjusted = checklist.CostFinding == CostFinding.Adjusted ? checklist.AdjustedCost : null;
        if (verdict == AssessmentRecommendation.ViableAtAdjustedCost)
        {
            if (adjusted is null)
            {
                throw new ConflictException("checklist.costFinding", "The checklist finds the cost as proposed: adjust it there, with its justification, to recommend ViableAtAdjustedCost");
            }
            if (requested is { } r && r != adjusted)
            {
                throw new DomainException("adjustedCost", $"The checklist adjusted the cost to S/ {adjusted:N2}");
            }
            return adjusted;
        }
        if (verdict == AssessmentRecommendation.Viable && adjusted is { } a)
        {
            throw new ConflictException("recommendation", $"The checklist adjusted the cost to S/ {a:N2}: recommend ViableAtAdjustedCost");
        }
        return requested;
    }

    private void RequireViableByChecklist(string reasons, GovernmentLevel? processLevel)
    {
        var checklist = Checklist!;
        if (checklist.AlignedWithPlan != true)
        {
            throw new ConflictException("recommendation", "The checklist finds the proposal not aligned with the plan objective: participatory budgeting funds only what the Concerted Development Plan pursues");
        }
        if (processLevel is { } level && checklist.Competence is { } competence && competence != level && !NamesLevel(reasons, competence))
        {
            throw new DomainException("reasons", $"The checklist finds it a matter of the {competence} level, not the {level}'s: the reasons name that level ({Stem(competence)}…) to recommend it viable");
        }
        if (checklist.DuplicateOf is { } duplicate && !reasons.Contains(duplicate, StringComparison.OrdinalIgnoreCase))
        {
            throw new DomainException("reasons", $"The checklist finds it a duplicate of {duplicate}: the reasons name it to recommend it viable");
        }
    }

    /// <summary>The stem Spanish and English share for each level: distrito/distrital/district, provincia/provincial/province, región/regional/region.</summary>
    private static string Stem(GovernmentLevel level) => level switch
    {
        GovernmentLevel.District => "distrit",
        GovernmentLevel.Province => "provinc",
        _ => "regi",
    };

    private static bool NamesLevel(string reasons, GovernmentLevel level)
    {
        var text = reasons.ToLowerInvariant().Replace('ó', 'o');
        return level == GovernmentLevel.Region
            ? text.Contains("region", StringComparison.Ordinal)
            : text.Contains(Stem(level), StringComparison.Ordinal);
    }

    private void EnsurePending()
    {
        if (Status == AssessmentStatus.Completed)
        {
            throw new ConflictException("proposalId", "This proposal has already been assessed");
        }
        if (Status == AssessmentStatus.Superseded)
        {
            throw new ConflictException("version", "The proposer has revised the proposal: the newer version is the one to assess");
        }
    }

    private void EnsureMayWork(string member, bool byLead)
    {
        if (AssignedTo is { } assignee && assignee != member && !byLead)
        {
            throw new ForbiddenException($"The assessment is assigned to {assignee}: only they or a technical-team lead work it");
        }
    }

    public static TechnicalAssessment Restore(Guid id, Guid proposalId, Guid processId, string jurisdiction, string title, decimal cost,
        string status, bool? viable, decimal? score, string? reasons, string? assessor, int version = 1, AssessmentRecommendation? recommendation = null,
        decimal? adjustedCost = null) => new()
    {
        Id = id, ProposalId = proposalId, ProcessId = processId, Jurisdiction = jurisdiction, Title = title, Cost = cost,
        Status = Enum.Parse<AssessmentStatus>(status), Viable = viable, Score = score, Reasons = reasons, Assessor = assessor,
        Version = version, Recommendation = recommendation, AdjustedCost = adjustedCost,
    };

    /// <summary>The rest of what the store keeps, beside <see cref="Restore"/>.</summary>
    public TechnicalAssessment WithStored(string? description, string? location, int? beneficiaries, string? planObjective, DateTimeOffset queuedAt,
        string? assignedTo, string? assignedBy, DateTimeOffset? assignedAt, AssessmentChecklist? checklist, string? checklistSavedBy, DateTimeOffset? checklistSavedAt,
        string? observations, DateTimeOffset? completedAt)
    {
        var a = new TechnicalAssessment
        {
            Id = Id, ProposalId = ProposalId, ProcessId = ProcessId, Jurisdiction = Jurisdiction, Title = Title, Cost = Cost, Version = Version,
            Description = description, Location = location, Beneficiaries = beneficiaries, PlanObjective = planObjective, QueuedAt = queuedAt,
        };
        a.Status = Status;
        a.Viable = Viable;
        a.Score = Score;
        a.Reasons = Reasons;
        a.Assessor = Assessor;
        a.Recommendation = Recommendation;
        a.AdjustedCost = AdjustedCost;
        a.AssignedTo = assignedTo;
        a.AssignedBy = assignedBy;
        a.AssignedAt = assignedAt;
        a.Checklist = checklist;
        a.ChecklistSavedBy = checklistSavedBy;
        a.ChecklistSavedAt = checklistSavedAt;
        a.Observations = observations;
        a.CompletedAt = completedAt;
        return a;
    }
}
