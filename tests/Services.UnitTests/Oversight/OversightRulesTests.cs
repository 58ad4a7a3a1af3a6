using Microsoft.Extensions.Time.Testing;
using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Oversight.Domain;

namespace PBServices.UnitTests.Oversight;

/// <summary>What the committee sees overdue, by Peru's day on the clock; and the rules that keep the government side's records consistent.</summary>
public sealed class OversightRulesTests
{
    private static readonly Guid ProcessId = Guid.CreateVersion7();
    private static readonly Guid MemberId = Guid.CreateVersion7();
    // 31 December 2026 is the deadline for the 2027 opening budget; 05:00 UTC is midnight in Lima.
    private static readonly DateTimeOffset LastMinuteOfTheDeadline = new(2027, 1, 1, 4, 59, 0, TimeSpan.Zero);

    private static OversightProcess Process(OversightSettings? settings = null) => new(ProcessId, "020101", "Huaraz 2027", GovernmentLevel.District, 2027,
        settings ?? OversightSettings.Default(2027), Guid.CreateVersion7(), "ACTA-001", new DateTimeOffset(2026, 6, 30, 15, 0, 0, TimeSpan.Zero),
        [new CommitteeMember(1, MemberId, "Rosa Quispe", "Junta vecinal", null, new DateOnly(2026, 6, 30))]);

    private static AgreedProject Project(decimal cost = 100_000m, IReadOnlyList<AgreedShare>? shares = null) =>
        AgreedProject.Restore(Guid.CreateVersion7(), ProcessId, 1, "Losa deportiva", cost, cost, "Deporte", cost, null, null, new Executor(ExecutorKind.Government, null, null), null,
            shares ?? [], [], [], [], []);

    private static AgreedProject With(AgreedProject p, BudgetEntry? budget = null, params Milestone[] milestones) =>
        AgreedProject.Restore(p.ProposalId, p.ProcessId, p.Rank, p.Title, p.AgreedCost, p.OwnShare, p.PlanObjective, p.CurrentCost, p.PostponedTo, p.SplitParts, p.Executor,
            p.Ministry, p.Cofinancing, budget is null ? p.Budget : [.. p.Budget, budget], [.. p.Milestones, .. milestones], p.Changes, p.Contributions);

    [Fact]
    public void A_project_left_out_of_the_opening_budget_shows_overdue_from_the_day_after_the_deadline_in_Peru()
    {
        var time = new FakeTimeProvider(LastMinuteOfTheDeadline);
        var project = Project();
        var left = With(project, project.RecordBudget(false, null, null, "Sin saldo", "pp", time.GetUtcNow()));

        Assert.Empty(Alerts.For(Process(), [left], [], time.GetUtcNow()));
        time.Advance(TimeSpan.FromMinutes(1));
        var alert = Assert.Single(Alerts.For(Process(), [left], [], time.GetUtcNow()));
        Assert.Equal((AlertKind.NotInBudget, left.ProposalId, new DateOnly(2027, 1, 1)), (alert.Kind, alert.ProposalId, alert.Since));
        Assert.Contains("Sin saldo", alert.Detail, StringComparison.Ordinal);
        Assert.Equal(ProjectStatus.LeftOut, left.Status);
    }

    [Fact]
    public void A_project_never_recorded_in_the_budget_is_overdue_too_and_one_included_is_not()
    {
        var time = new FakeTimeProvider(LastMinuteOfTheDeadline.AddDays(1));
        var project = Project();
        var included = With(project, project.RecordBudget(true, "2456789", 100_000m, null, "pp", time.GetUtcNow()));
        var alerts = Alerts.For(Process(), [project, included], [], time.GetUtcNow());
        Assert.Equal(project.ProposalId, Assert.Single(alerts).ProposalId);
    }

    [Fact]
    public void An_included_project_with_nothing_recorded_for_longer_than_the_process_allows_shows_no_progress()
    {
        var settings = OversightSettings.Default(2027) with { StaleDays = 30 };
        var project = Project();
        var started = new DateTimeOffset(2027, 3, 1, 15, 0, 0, TimeSpan.Zero);
        var p = With(project, project.RecordBudget(true, "2456789", 100_000m, null, "pp", started));
        p = With(p, null, p.RecordMilestone(MilestoneKind.Tender, new DateOnly(2027, 3, 1), 0, 50_000m, 0m, null, null, "pp", started));

        Assert.Empty(Alerts.For(Process(settings), [p], [], started.AddDays(30)));
        var alert = Assert.Single(Alerts.For(Process(settings), [p], [], started.AddDays(31)));
        Assert.Equal(AlertKind.NoProgress, alert.Kind);
        Assert.Contains("since 2027-03-01", alert.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_finding_unanswered_past_its_due_date_is_overdue_and_an_answer_clears_it()
    {
        var raisedAt = new DateTimeOffset(2027, 4, 1, 15, 0, 0, TimeSpan.Zero);
        var process = Process();
        var (finding, raised) = Finding.Raise(process, process.Committee[0], FindingKind.InformationRequest, "¿Y el expediente?", null, raisedAt);
        Assert.Equal(raisedAt.AddDays(15), raised.AnswerDue);
        Assert.Empty(Alerts.For(process, [], [finding], raisedAt.AddDays(15)));
        Assert.Equal(AlertKind.AnswerOverdue, Assert.Single(Alerts.For(process, [], [finding], raisedAt.AddDays(15).AddMinutes(1))).Kind);
        var answered = Finding.Restore(finding.Id, finding.ProcessId, null, finding.Kind, finding.Text, finding.RaisedBy, finding.RaisedAt, finding.AnswerDue,
            [finding.AnswerWith("Está en elaboración", "pp", raisedAt.AddDays(20))], null, null, null);
        Assert.Empty(Alerts.For(process, [], [answered], raisedAt.AddDays(21)));
    }

    [Fact]
    public void Spending_beyond_the_agreed_cost_needs_its_reason_and_never_exceeds_what_is_committed()
    {
        var now = new DateTimeOffset(2027, 5, 1, 15, 0, 0, TimeSpan.Zero);
        var project = Project();
        var p = With(project, project.RecordBudget(true, "2456789", 100_000m, null, "pp", now));
        p = With(p, null, p.RecordMilestone(MilestoneKind.WorksStart, new DateOnly(2027, 5, 1), 10, 120_000m, 50_000m, null, null, "pp", now));

        Assert.Equal("overspendReason", Assert.Throws<DomainException>(() =>
            p.RecordMilestone(MilestoneKind.Progress, new DateOnly(2027, 5, 1), 80, 120_000m, 100_000.01m, null, null, "pp", now)).Field);
        Assert.Equal("spent", Assert.Throws<DomainException>(() =>
            p.RecordMilestone(MilestoneKind.Progress, new DateOnly(2027, 5, 1), 80, 120_000m, 130_000m, "Adenda", null, "pp", now)).Field);
        var over = p.RecordMilestone(MilestoneKind.Progress, new DateOnly(2027, 5, 1), 80, 120_000m, 110_000m, "Mayor metrado (adenda 02)", null, "pp", now);
        Assert.Equal("Mayor metrado (adenda 02)", over.OverspendReason);
    }

    [Fact]
    public void Milestones_come_in_the_order_works_happen_and_never_go_back()
    {
        var now = new DateTimeOffset(2027, 5, 1, 15, 0, 0, TimeSpan.Zero);
        var day = new DateOnly(2027, 5, 1);
        var project = Project();
        Assert.Equal("budget", Assert.Throws<ConflictException>(() => project.RecordMilestone(MilestoneKind.Tender, day, 0, 0m, 0m, null, null, "pp", now)).Field);
        var p = With(project, project.RecordBudget(true, "2456789", 100_000m, null, "pp", now));
        Assert.Equal("kind", Assert.Throws<ConflictException>(() => p.RecordMilestone(MilestoneKind.Progress, day, 10, 0m, 0m, null, null, "pp", now)).Field);
        Assert.Equal("date", Assert.Throws<DomainException>(() => p.RecordMilestone(MilestoneKind.WorksStart, day.AddDays(1), 0, 0m, 0m, null, null, "pp", now)).Field);
        p = With(p, null, p.RecordMilestone(MilestoneKind.WorksStart, day, 20, 50_000m, 10_000m, null, null, "pp", now));
        Assert.Equal("kind", Assert.Throws<ConflictException>(() => p.RecordMilestone(MilestoneKind.TechnicalFile, day, 20, 50_000m, 10_000m, null, null, "pp", now)).Field);
        Assert.Equal("spent", Assert.Throws<DomainException>(() => p.RecordMilestone(MilestoneKind.Progress, day, 30, 50_000m, 5_000m, null, null, "pp", now)).Field);
        Assert.Equal("progress", Assert.Throws<DomainException>(() => p.RecordMilestone(MilestoneKind.Completion, day, 90, 50_000m, 10_000m, null, null, "pp", now)).Field);
        Assert.Equal("kind", Assert.Throws<ConflictException>(() => p.RecordMilestone(MilestoneKind.Handover, day, null, null, null, null, null, "pp", now)).Field);
        var done = With(p, null, p.RecordMilestone(MilestoneKind.Completion, day, null, null, null, null, null, "pp", now));
        Assert.Equal((ProjectStatus.Completed, 100, 10_000m), (done.Status, done.Progress, done.Spent));
    }

    [Fact]
    public void A_change_says_who_decided_and_why_and_a_split_adds_up_to_the_project()
    {
        var now = new DateTimeOffset(2027, 5, 1, 15, 0, 0, TimeSpan.Zero);
        var p = Project(300_000m);
        Assert.Equal("decidedBy", Assert.Throws<DomainException>(() => p.RecordChange(ChangeKind.Rescoped, " ", "Menor metrado", 250_000m, null, null, 2027, "pp", now)).Field);
        Assert.Equal("parts", Assert.Throws<DomainException>(() => p.RecordChange(ChangeKind.Split, "Concejo, Acuerdo 12", "Dos etapas", null, null,
            [new SplitPart("Etapa 1", 100_000m), new SplitPart("Etapa 2", 150_000m)], 2027, "pp", now)).Field);
        Assert.Equal("postponedTo", Assert.Throws<DomainException>(() => p.RecordChange(ChangeKind.Postponed, "Concejo", "Sin saldo", null, 2027, null, 2027, "pp", now)).Field);
        var rescoped = p.RecordChange(ChangeKind.Rescoped, "Concejo, Acuerdo 12", "Menor metrado", 250_000m, null, null, 2027, "pp", now);
        p.Apply(rescoped);
        Assert.Equal((300_000m, 250_000m), (p.AgreedCost, p.CurrentCost));
        p.Apply(p.RecordChange(ChangeKind.Postponed, "Concejo, Acuerdo 13", "Sin saldo", null, 2028, null, 2027, "pp", now));
        Assert.Equal(ProjectStatus.Postponed, p.Status);
        Assert.Throws<ConflictException>(() => p.RecordMilestone(MilestoneKind.TechnicalFile, new DateOnly(2027, 5, 1), 0, 0m, 0m, null, null, "pp", now));
    }

    [Fact]
    public void A_contribution_is_recorded_against_a_share_the_co_financing_agreed()
    {
        var now = new DateTimeOffset(2027, 5, 1, 15, 0, 0, TimeSpan.Zero);
        var p = Project(600_000m, [new AgreedShare("Community", "Junta vecinal Los Olivos", "Labour", 180_000m), new AgreedShare("Government", "020101", "Money", 420_000m)]);
        Assert.Equal("party", Assert.Throws<DomainException>(() => p.RecordContribution("Community", "Junta vecinal Los Olivos", "Money", 1_000m, new DateOnly(2027, 5, 1), null, "pp", now)).Field);
        var c = p.RecordContribution("community", "Junta vecinal Los Olivos", "labour", 60_000m, new DateOnly(2027, 5, 1), "400 jornales", "pp", now);
        Assert.Equal(("Community", "Labour"), (c.PartyKind, c.Kind));
        Assert.Equal("party", Assert.Throws<ConflictException>(() => Project().RecordContribution("Community", "X", "Labour", 1m, new DateOnly(2027, 5, 1), null, "pp", now)).Field);
    }

    [Fact]
    public void Only_an_elected_member_within_the_term_acts_for_the_committee()
    {
        var process = Process();
        Assert.Throws<ForbiddenException>(() => process.RequireMember(Guid.CreateVersion7(), new DateTimeOffset(2027, 3, 1, 15, 0, 0, TimeSpan.Zero)));
        Assert.Equal(1, process.RequireMember(MemberId, new DateTimeOffset(2027, 12, 31, 15, 0, 0, TimeSpan.Zero)).Seat);
        Assert.Throws<ForbiddenException>(() => process.RequireMember(MemberId, new DateTimeOffset(2028, 1, 1, 5, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_finding_is_escalated_once_with_its_answers()
    {
        var now = new DateTimeOffset(2027, 4, 1, 15, 0, 0, TimeSpan.Zero);
        var process = Process();
        var (raised, _) = Finding.Raise(process, process.Committee[0], FindingKind.Finding, "La obra está paralizada", null, now);
        var f = Finding.Restore(raised.Id, raised.ProcessId, null, raised.Kind, raised.Text, raised.RaisedBy, raised.RaisedAt, raised.AnswerDue,
            [raised.AnswerWith("Se reanudará", "pp", now.AddDays(2))], null, null, null);
        var escalated = f.Escalate(process, process.Committee[0], "Sigue paralizada", null, now.AddDays(20));
        Assert.Equal((2027, "Se reanudará", "Sigue paralizada"), (escalated.FiscalYear, Assert.Single(escalated.Answers).Text, escalated.EscalationReason));
        Assert.Throws<ConflictException>(() => f.Escalate(process, process.Committee[0], "Otra vez", null, now.AddDays(21)));
    }
}
