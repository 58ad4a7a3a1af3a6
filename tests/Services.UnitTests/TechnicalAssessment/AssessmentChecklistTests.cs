using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Processes;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
using PBServices.TechnicalAssessment.Domain;
using Assessment = PBServices.TechnicalAssessment.Domain.TechnicalAssessment;

namespace PBServices.UnitTests.TechnicalAssessment;

/// <summary>Assignment, the checklist and a recommendation that agrees with it; the overdue rule by the day in Peru.</summary>
public sealed class AssessmentChecklistTests
{
    private static readonly DateTimeOffset Now = new(2026, 9, 20, 15, 0, 0, TimeSpan.Zero);
    private static readonly Guid ProcessId = Guid.CreateVersion7();
    private static readonly Guid OtherProposal = Guid.CreateVersion7();
    private static readonly ProcessStage InConcertation = new(ProcessId, "200101", Stage.Concertation);
    private const string Lead = "jefe-equipo-tecnico";
    private const string Member = "ing.quispe";

    private static Assessment Queued() => Assessment.Queue(new ProposalSubmitted
    {
        ProcessId = ProcessId, Jurisdiction = "200101", ProposalId = Guid.CreateVersion7(), AgentId = Guid.CreateVersion7(), Title = "Agua potable Castilla",
        Description = "Red de agua para 300 viviendas", Cost = 500_000m, Location = "AA.HH. Los Algarrobos", Beneficiaries = 1500, PlanObjective = "OE1 Agua y saneamiento",
    }, Now);

    private static readonly AssessmentChecklist Complete = new(PreInvestmentStatus.ProfileApproved, null, CostFinding.AsProposed, null, null, true, null,
        GovernmentLevel.District, Duplication.None);

    private static Assessment Assigned()
    {
        var a = Queued();
        a.Assign(InConcertation, Member, Lead, Now);
        return a;
    }

    private static void Save(Assessment a, AssessmentChecklist checklist, string by = Member, bool lead = false) =>
        a.SaveChecklist(InConcertation, checklist, by, lead, id => id == OtherProposal, Now);

    private static AssessmentCompleted Recommend(Assessment a, AssessmentRecommendation verdict, decimal score = 80m, string reasons = "Viable", string by = Member,
        decimal? adjustedCost = null, string? observations = null, bool lead = false) =>
        a.Recommend(InConcertation, null, score, reasons, by, verdict, adjustedCost, observations: observations, byLead: lead, processLevel: GovernmentLevel.District, at: Now);

    [Fact]
    public void A_queued_assessment_keeps_the_whole_version()
    {
        var a = Queued();
        Assert.Equal(("Red de agua para 300 viviendas", "AA.HH. Los Algarrobos", 1500, "OE1 Agua y saneamiento"), (a.Description, a.Location, a.Beneficiaries, a.PlanObjective));
    }

    [Fact]
    public void A_lead_assigns_and_reassigns_while_pending_and_the_previous_member_is_returned()
    {
        var a = Queued();
        Assert.Null(a.Assign(InConcertation, " ing.quispe ", Lead, Now));
        Assert.Equal((Member, Lead, (DateTimeOffset?)Now), (a.AssignedTo, a.AssignedBy, a.AssignedAt));
        Assert.Equal(Member, a.Assign(InConcertation, "ing.mamani", Lead, Now.AddHours(1)));
        Assert.Equal("ing.mamani", a.AssignedTo);
        Assert.Equal("assignee", Assert.Throws<ConflictException>(() => a.Assign(InConcertation, "ing.mamani", Lead, Now)).Field);
        Assert.Equal("assignee", Assert.Throws<DomainException>(() => a.Assign(InConcertation, " ", Lead, Now)).Field);
    }

    [Fact]
    public void A_completed_assessment_is_not_reassigned()
    {
        var a = Assigned();
        Save(a, Complete);
        Recommend(a, AssessmentRecommendation.Viable);
        Assert.Equal("proposalId", Assert.Throws<ConflictException>(() => a.Assign(InConcertation, "ing.mamani", Lead, Now)).Field);
        Assert.Equal(Member, a.AssignedTo);
    }

    [Fact]
    public void Assignment_happens_in_Concertation()
    {
        var a = Queued();
        Assert.Equal("stage", Assert.Throws<ConflictException>(() => a.Assign(InConcertation with { Stage = Stage.Coordination }, Member, Lead, Now)).Field);
    }

    [Fact]
    public void Only_the_assignee_or_a_lead_works_an_assigned_assessment()
    {
        var a = Assigned();
        Assert.Throws<ForbiddenException>(() => Save(a, Complete, by: "ing.mamani"));
        Assert.Null(a.Checklist);
        Save(a, Complete, by: Lead, lead: true);
        Assert.Throws<ForbiddenException>(() => Recommend(a, AssessmentRecommendation.Viable, by: "ing.mamani"));
        Assert.Equal(AssessmentStatus.Pending, a.Status);
        Recommend(a, AssessmentRecommendation.Viable);
        Assert.Equal(AssessmentStatus.Completed, a.Status);
    }

    [Fact]
    public void An_unassigned_assessment_is_worked_directly_by_any_member_without_a_checklist()
    {
        var a = Queued();
        Recommend(a, AssessmentRecommendation.Observed, score: 0m, reasons: "Falta el estudio de la fuente", by: "ing.mamani");
        Assert.Equal((AssessmentRecommendation.Observed, "Falta el estudio de la fuente"), (a.Recommendation, a.Observations));
    }

    [Fact]
    public void A_partial_checklist_is_saved_and_resaved_and_names_what_is_missing()
    {
        var a = Assigned();
        Save(a, new AssessmentChecklist(PreInvestment: PreInvestmentStatus.NoStudy));
        Assert.Equal("costFinding", a.Checklist!.MissingField());
        Save(a, Complete with { Competence = null });
        Assert.Equal("competence", a.Checklist!.MissingField());
        Save(a, Complete);
        Assert.Null(a.Checklist!.MissingField());
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void An_assigned_or_started_assessment_needs_the_whole_checklist_before_a_recommendation(bool assign, bool start)
    {
        var a = assign ? Assigned() : Queued();
        if (start)
        {
            Save(a, Complete with { Duplication = null });
        }
        var e = Assert.Throws<ConflictException>(() => Recommend(a, AssessmentRecommendation.Viable));
        Assert.Equal(start ? "checklist.duplication" : "checklist.preInvestment", e.Field);
        Assert.Equal(AssessmentStatus.Pending, a.Status);
    }

    [Fact]
    public void An_adjusted_cost_needs_a_justification_and_a_different_amount()
    {
        var a = Assigned();
        Assert.Equal("costJustification", Assert.Throws<DomainException>(() => Save(a, Complete with { CostFinding = CostFinding.Adjusted, AdjustedCost = 450_000m })).Field);
        Assert.Equal("adjustedCost", Assert.Throws<DomainException>(() => Save(a, Complete with { CostFinding = CostFinding.Adjusted, CostJustification = "Precios EPS" })).Field);
        Assert.Equal("adjustedCost", Assert.Throws<DomainException>(() =>
            Save(a, Complete with { CostFinding = CostFinding.Adjusted, AdjustedCost = 500_000m, CostJustification = "Precios EPS" })).Field);
        Assert.Equal("costFinding", Assert.Throws<DomainException>(() => Save(a, Complete with { AdjustedCost = 450_000m, CostJustification = "Precios EPS" })).Field);
        Assert.Null(a.Checklist);
    }

    [Fact]
    public void Not_aligned_with_the_plan_needs_a_note_and_a_note_needs_the_answer()
    {
        var a = Assigned();
        Assert.Equal("alignmentNote", Assert.Throws<DomainException>(() => Save(a, Complete with { AlignedWithPlan = false })).Field);
        Assert.Equal("alignedWithPlan", Assert.Throws<DomainException>(() => Save(a, Complete with { AlignedWithPlan = null, AlignmentNote = "OE1" })).Field);
    }

    [Fact]
    public void A_duplicate_names_another_proposal_of_the_process_or_a_project_code_with_a_note()
    {
        var a = Assigned();
        var dup = Complete with { Duplication = Duplication.Proposal, DuplicationNote = "Misma red" };
        Assert.Equal("duplicateOfProposal", Assert.Throws<DomainException>(() => Save(a, dup)).Field);
        Assert.Equal("duplicateOfProposal", Assert.Throws<DomainException>(() => Save(a, dup with { DuplicateOfProposal = a.ProposalId })).Field);
        Assert.Equal("duplicateOfProposal", Assert.Throws<DomainException>(() => Save(a, dup with { DuplicateOfProposal = Guid.CreateVersion7() })).Field);
        Assert.Equal("duplicationNote", Assert.Throws<DomainException>(() => Save(a, dup with { DuplicateOfProposal = OtherProposal, DuplicationNote = null })).Field);
        Assert.Equal("duplicateOfProject", Assert.Throws<DomainException>(() =>
            Save(a, Complete with { Duplication = Duplication.ExistingProject, DuplicateOfProject = "CUI-12", DuplicationNote = "Ya en ejecución" })).Field);
        Assert.Equal("duplication", Assert.Throws<DomainException>(() => Save(a, Complete with { DuplicateOfProject = "2345678" })).Field);
        Save(a, dup with { DuplicateOfProposal = OtherProposal });
        Assert.Equal(OtherProposal.ToString(), a.Checklist!.DuplicateOf);
    }

    [Fact]
    public void Viable_at_adjusted_cost_uses_the_checklist_cost_and_publishes_competence_and_duplicate()
    {
        var a = Assigned();
        Save(a, Complete with { CostFinding = CostFinding.Adjusted, AdjustedCost = 450_000m, CostJustification = "Precios de referencia de la EPS" });
        Assert.Equal("recommendation", Assert.Throws<ConflictException>(() => Recommend(a, AssessmentRecommendation.Viable)).Field);
        Assert.Equal("adjustedCost", Assert.Throws<DomainException>(() => Recommend(a, AssessmentRecommendation.ViableAtAdjustedCost, adjustedCost: 400_000m)).Field);

        var e = Recommend(a, AssessmentRecommendation.ViableAtAdjustedCost);

        Assert.Equal((450_000m, GovernmentLevel.District, (string?)null), (e.AdjustedCost, e.Competence, e.DuplicateOf));
        Assert.Equal(450_000m, a.AdjustedCost);
    }

    [Fact]
    public void Viable_at_adjusted_cost_needs_the_checklist_to_adjust_it()
    {
        var a = Assigned();
        Save(a, Complete);
        Assert.Equal("checklist.costFinding", Assert.Throws<ConflictException>(() => Recommend(a, AssessmentRecommendation.ViableAtAdjustedCost, adjustedCost: 450_000m)).Field);
    }

    [Fact]
    public void A_proposal_not_aligned_with_the_plan_is_not_recommended_viable()
    {
        var a = Assigned();
        Save(a, Complete with { AlignedWithPlan = false, AlignmentNote = "Objetivo de otro eje" });
        Assert.Equal("recommendation", Assert.Throws<ConflictException>(() => Recommend(a, AssessmentRecommendation.Viable)).Field);
        Recommend(a, AssessmentRecommendation.NotViable, score: 0m, reasons: "No se alinea al PDC");
        Assert.Equal(AssessmentRecommendation.NotViable, a.Recommendation);
    }

    [Fact]
    public void A_matter_of_another_level_is_viable_only_with_reasons_naming_that_level()
    {
        var a = Assigned();
        Save(a, Complete with { Competence = GovernmentLevel.Province });
        Assert.Equal("reasons", Assert.Throws<DomainException>(() => Recommend(a, AssessmentRecommendation.Viable, reasons: "Viable")).Field);
        var e = Recommend(a, AssessmentRecommendation.Viable, reasons: "Viable; competencia provincial: se propone cofinanciarla en la coordinación");
        Assert.Equal(GovernmentLevel.Province, e.Competence);
    }

    [Fact]
    public void A_duplicate_is_viable_only_with_reasons_naming_what_it_duplicates()
    {
        var a = Assigned();
        Save(a, Complete with { Duplication = Duplication.ExistingProject, DuplicateOfProject = "2456789", DuplicationNote = "Mismo tramo de red" });
        Assert.Equal("reasons", Assert.Throws<DomainException>(() => Recommend(a, AssessmentRecommendation.Viable)).Field);
        var e = Recommend(a, AssessmentRecommendation.Viable, reasons: "Viable como ampliación del proyecto CUI 2456789");
        Assert.Equal("2456789", e.DuplicateOf);
    }

    [Fact]
    public void Observed_by_checklist_needs_observations_and_only_observed_carries_them()
    {
        var a = Assigned();
        Save(a, Complete);
        Assert.Equal("observations", Assert.Throws<DomainException>(() => Recommend(a, AssessmentRecommendation.Observed, score: 0m, reasons: "Observada")).Field);
        Assert.Equal("observations", Assert.Throws<DomainException>(() => Recommend(a, AssessmentRecommendation.Viable, observations: "Nada")).Field);
        Recommend(a, AssessmentRecommendation.Observed, score: 0m, reasons: "Observada", observations: "Presente el estudio de demanda");
        Assert.Equal("Presente el estudio de demanda", a.Observations);
    }

    [Fact]
    public void The_checklist_is_not_changed_once_recommended_nor_on_a_superseded_version()
    {
        var a = Assigned();
        Save(a, Complete);
        Recommend(a, AssessmentRecommendation.Viable);
        Assert.Equal("proposalId", Assert.Throws<ConflictException>(() => Save(a, Complete with { PreInvestment = PreInvestmentStatus.NoStudy })).Field);
        var old = Assessment.Restore(Guid.CreateVersion7(), a.ProposalId, ProcessId, "200101", "t", 1m, "Superseded", null, null, null, null);
        Assert.Equal("version", Assert.Throws<ConflictException>(() => Save(old, Complete)).Field);
    }

    [Fact]
    public void Pending_work_is_overdue_from_the_day_after_Concertation_ends_in_Peru()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 9, 21, 4, 59, 0, TimeSpan.Zero));
        var ends = new DateOnly(2026, 9, 20);
        var a = Queued();
        // 04:59 UTC on the 21st is still the 20th in Lima (UTC−5): the window's last day.
        Assert.False(a.IsOverdue(ends, time.GetUtcNow()));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(a.IsOverdue(ends, time.GetUtcNow()));
        Assert.False(a.IsOverdue(null, time.GetUtcNow()));
        a.Recommend(InConcertation, true, 70m, "Viable", "ing.mamani");
        Assert.False(a.IsOverdue(ends, time.GetUtcNow()));
    }
}
