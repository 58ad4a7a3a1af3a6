using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Registration.Domain;
using static PBServices.UnitTests.Registration.Preparation;

namespace PBServices.UnitTests.Registration;

public sealed class ProcessTests
{
    private static Process OpenWith(string jurisdiction = Miraflores, string level = "district", int fiscalYear = FiscalYear,
        ProcessCalendar? calendar = null, ProcessRules? rules = null, bool noCalendar = false, bool noRules = false) =>
        Process.Open(jurisdiction, "PP 2027", fiscalYear, level, 2_500_000m, noCalendar ? null : calendar ?? Preparation.Windows,
            noRules ? null : rules ?? Rules, OpenedAt).Process;

    /// <summary>The same calendar a number of years later.</summary>
    private static ProcessCalendar Shifted(int years)
    {
        DateWindow S(DateWindow w) => new(w.From.AddYears(years), w.To.AddYears(years));
        var c = Preparation.Windows;
        return new(S(c.Registration), S(c.Publication), S(c.Objections), S(c.Accreditation), S(c.Training), S(c.Concertation),
            S(c.Coordination), S(c.Formalization), S(c.Submission), S(c.Oversight));
    }

    [Fact]
    public void A_process_opens_in_Preparation_with_its_calendar_and_rules_and_tells_the_other_services()
    {
        var (process, opened) = Process.Open(Miraflores, "  PP 2027 Distrito de Miraflores ", FiscalYear, "District", 2_500_000m, Preparation.Windows, Rules, OpenedAt);

        Assert.Equal(Stage.Preparation, process.Stage);
        Assert.Equal("PP 2027 Distrito de Miraflores", process.Name);
        Assert.Equal(GovernmentLevel.District, process.Level);
        Assert.Equal(Preparation.Windows, process.Calendar);
        Assert.Equal(Rules.Quotas, process.Rules!.Quotas);
        Assert.Null(process.EligibleListPublishedAt);
        Assert.Equal(process.Id, opened.ProcessId);
        Assert.Equal(Miraflores, opened.Jurisdiction);
        Assert.Equal(Preparation.Windows, opened.Calendar);
        Assert.Equal(Rules.AllocationRule, opened.Rules!.AllocationRule);
    }

    [Theory]
    [InlineData("150000", "region", GovernmentLevel.Region)]
    [InlineData("150100", "province", GovernmentLevel.Province)]
    [InlineData("150122", "district", GovernmentLevel.District)]
    public void A_code_opens_a_process_of_its_own_level(string code, string level, GovernmentLevel expected)
    {
        Assert.Equal(expected, OpenWith(jurisdiction: code, level: level).Level);
    }

    [Fact]
    public void A_district_code_is_refused_as_a_province()
    {
        var e = Assert.Throws<DomainException>(() => OpenWith(jurisdiction: "150122", level: "province"));

        Assert.Equal("level", e.Field);
        Assert.Equal("150122 is a district's ubigeo, not a province's", e.Message);
    }

    [Fact]
    public void A_province_code_is_refused_as_a_region()
    {
        var e = Assert.Throws<DomainException>(() => OpenWith(jurisdiction: "150100", level: "region"));

        Assert.Equal("level", e.Field);
        Assert.Equal("150100 is a province's ubigeo, not a region's", e.Message);
    }

    [Fact]
    public void A_jurisdiction_that_is_not_a_ubigeo_is_refused()
    {
        var e = Assert.Throws<DomainException>(() => OpenWith(jurisdiction: "300101"));

        Assert.Equal("jurisdiction", e.Field);
    }

    [Theory]
    [InlineData(2025)]
    [InlineData(2029)]
    public void A_fiscal_year_other_than_this_year_or_the_next_two_is_refused(int fiscalYear)
    {
        var e = Assert.Throws<DomainException>(() => OpenWith(fiscalYear: fiscalYear));

        Assert.Equal("fiscalYear", e.Field);
        Assert.Equal("The fiscal year must be between 2026 and 2028", e.Message);
    }

    [Fact]
    public void The_fiscal_years_open_are_counted_from_Lima_s_year()
    {
        // 02:00 UTC on 1 January 2027 is still 31 December 2026 in Lima: 2029 is not yet within reach.
        var newYearsEve = new DateTimeOffset(2027, 1, 1, 2, 0, 0, TimeSpan.Zero);
        var calendar = Preparation.Windows;
        ProcessCalendar Shift(int years) => new(
            calendar.Registration, calendar.Publication, calendar.Objections, calendar.Accreditation, calendar.Training,
            new(calendar.Concertation.From.AddYears(years), calendar.Concertation.To.AddYears(years)),
            new(calendar.Coordination.From.AddYears(years), calendar.Coordination.To.AddYears(years)),
            new(calendar.Formalization.From.AddYears(years), calendar.Formalization.To.AddYears(years)),
            new(calendar.Submission.From.AddYears(years), calendar.Submission.To.AddYears(years)),
            new(calendar.Oversight.From.AddYears(years), calendar.Oversight.To.AddYears(years)));

        var e = Assert.Throws<DomainException>(() => Process.Open(Miraflores, "PP", 2029, "district", 2_500_000m, Shift(2), Rules, newYearsEve));

        Assert.Equal("fiscalYear", e.Field);
        Assert.Equal("The fiscal year must be between 2026 and 2028", e.Message);
        Assert.Equal(2028, Process.Open(Miraflores, "PP", 2028, "district", 2_500_000m, Shift(1), Rules, newYearsEve).Process.FiscalYear);
    }

    [Fact]
    public void A_process_without_a_calendar_is_refused()
    {
        var e = Assert.Throws<DomainException>(() => OpenWith(noCalendar: true));

        Assert.Equal("calendar", e.Field);
        Assert.Contains("required", e.Message);
    }

    [Fact]
    public void A_window_that_ends_before_it_starts_is_refused_by_its_name()
    {
        var calendar = Preparation.Windows with { Training = Window("2026-04-17", "2026-04-06") };

        var e = Assert.Throws<DomainException>(() => OpenWith(calendar: calendar));

        Assert.Equal("calendar.training", e.Field);
        Assert.Equal("Ends (2026-04-06) before it starts (2026-04-17)", e.Message);
    }

    [Fact]
    public void A_window_without_dates_is_refused_by_its_name()
    {
        var e = Assert.Throws<DomainException>(() => OpenWith(calendar: Preparation.Windows with { Coordination = new DateWindow(default, default) }));

        Assert.Equal("calendar.coordination", e.Field);
        Assert.Contains("from and to", e.Message);
    }

    [Fact]
    public void A_missing_window_is_refused_by_its_name()
    {
        var e = Assert.Throws<DomainException>(() => OpenWith(calendar: Preparation.Windows with { Publication = null! }));

        Assert.Equal("calendar.publication", e.Field);
    }

    [Fact]
    public void Objections_starting_before_publication_ends_are_refused()
    {
        var calendar = Preparation.Windows with { Objections = Window("2026-03-19", "2026-03-27") };

        var e = Assert.Throws<DomainException>(() => OpenWith(calendar: calendar));

        Assert.Equal("calendar.objections", e.Field);
        Assert.Equal("Starts 2026-03-19, before publication ends (2026-03-20); the calendar runs in order", e.Message);
    }

    [Fact]
    public void A_stage_out_of_order_is_refused_by_its_name()
    {
        var calendar = Preparation.Windows with { Submission = Window("2026-06-10", "2026-07-10") };

        var e = Assert.Throws<DomainException>(() => OpenWith(calendar: calendar));

        Assert.Equal("calendar.submission", e.Field);
        Assert.Contains("formalization", e.Message);
    }

    [Fact]
    public void A_window_may_start_on_the_day_the_previous_one_ends()
    {
        var calendar = Preparation.Windows with { Publication = Window("2026-03-13", "2026-03-20") };

        Assert.Equal(Day("2026-03-13"), OpenWith(calendar: calendar).Calendar!.Publication.From);
    }

    [Fact]
    public void Concertation_in_the_fiscal_year_itself_is_refused()
    {
        // Every window in 2026, for the 2026 budget: the projects would be agreed after its year began.
        var e = Assert.Throws<DomainException>(() => OpenWith(fiscalYear: 2026));

        Assert.Equal("calendar.concertation", e.Field);
        Assert.Equal("Concertation for fiscal year 2026 starts before 2026", e.Message);
    }

    [Fact]
    public void Concertation_after_the_fiscal_year_is_refused()
    {
        var e = Assert.Throws<DomainException>(() => OpenWith(fiscalYear: 2026, calendar: Shifted(1)));

        Assert.Equal("calendar.concertation", e.Field);
        Assert.Contains("before 2026", e.Message);
    }

    [Fact]
    public void Registration_more_than_two_years_before_the_fiscal_year_is_refused()
    {
        var calendar = Preparation.Windows with { Registration = Window("2024-03-02", "2024-03-13") };

        var e = Assert.Throws<DomainException>(() => OpenWith(calendar: calendar));

        Assert.Equal("calendar.registration", e.Field);
        Assert.Contains("2025 or later", e.Message);
    }

    [Fact]
    public void A_process_without_rules_is_refused()
    {
        var e = Assert.Throws<DomainException>(() => OpenWith(noRules: true));

        Assert.Equal("rules", e.Field);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(0)]
    [InlineData(16)]
    public void An_oversight_committee_of_fewer_than_four_or_more_than_fifteen_is_refused(int size)
    {
        var e = Assert.Throws<DomainException>(() => OpenWith(rules: Rules with { OversightCommitteeSize = size }));

        Assert.Equal("rules.oversightCommitteeSize", e.Field);
        Assert.Equal("From 4 to 15 members of the oversight committee (at least four)", e.Message);
    }

    [Fact]
    public void An_oversight_committee_of_four_is_accepted()
    {
        Assert.Equal(4, OpenWith(rules: Rules with { OversightCommitteeSize = 4 }).Rules!.OversightCommitteeSize);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public void Agents_per_organisation_outside_one_to_ten_are_refused(int agents)
    {
        var e = Assert.Throws<DomainException>(() => OpenWith(rules: Rules with { AgentsPerOrganisation = agents }));

        Assert.Equal("rules.agentsPerOrganisation", e.Field);
    }

    [Theory]
    [InlineData("borda")]
    [InlineData("MES")]
    [InlineData("")]
    public void An_unknown_allocation_rule_is_refused(string rule)
    {
        var e = Assert.Throws<DomainException>(() => OpenWith(rules: Rules with { AllocationRule = rule }));

        Assert.Equal("rules.allocationRule", e.Field);
        Assert.StartsWith("One of greedy, mes, mes-add1", e.Message);
    }

    [Theory]
    [InlineData("mes")]
    [InlineData("mes-add1")]
    public void Ranked_ballots_with_equal_shares_are_refused_because_a_ranking_carries_no_utility(string rule)
    {
        var e = Assert.Throws<DomainException>(() => OpenWith(rules: Rules with { BallotFormat = BallotFormat.Ranked, AllocationRule = rule }));

        Assert.Equal("rules.allocationRule", e.Field);
        Assert.Contains("use greedy", e.Message);
        Assert.Equal(BallotFormat.Ranked, OpenWith(rules: Rules with { BallotFormat = BallotFormat.Ranked, AllocationRule = "greedy" }).Rules!.BallotFormat);
    }

    [Fact]
    public void An_undefined_ballot_format_is_refused()
    {
        var e = Assert.Throws<DomainException>(() => OpenWith(rules: Rules with { BallotFormat = (BallotFormat)9 }));

        Assert.Equal("rules.ballotFormat", e.Field);
        Assert.Equal("One of Approval, Ranked, Cumulative, Plurality", e.Message);
    }

    [Fact]
    public void A_quota_of_more_seats_than_the_body_has_is_refused()
    {
        var rules = Rules with { DirectiveCommitteeSeats = 7, Quotas = [new Quota(SeatBody.DirectiveCommittee, QuotaGroup.Women, 8)] };

        var e = Assert.Throws<DomainException>(() => OpenWith(rules: rules));

        Assert.Equal("rules.quotas[0].minimumSeats", e.Field);
        Assert.Equal("From 1 to 7 seats of DirectiveCommittee reserved for Women", e.Message);
    }

    [Fact]
    public void A_quota_on_a_body_without_seats_is_refused()
    {
        var rules = Rules with { DelegateSeats = 0, Quotas = [new Quota(SeatBody.Delegates, QuotaGroup.Youth, 1)] };

        var e = Assert.Throws<DomainException>(() => OpenWith(rules: rules));

        Assert.Equal("rules.quotas[0].minimumSeats", e.Field);
        Assert.Contains("the body has no seats", e.Message);
    }

    [Fact]
    public void A_second_quota_for_the_same_group_of_the_same_body_is_refused()
    {
        var rules = Rules with
        {
            Quotas = [new Quota(SeatBody.Delegates, QuotaGroup.Women, 2), new Quota(SeatBody.DirectiveCommittee, QuotaGroup.Women, 3), new Quota(SeatBody.Delegates, QuotaGroup.Women, 1)],
        };

        var e = Assert.Throws<DomainException>(() => OpenWith(rules: rules));

        Assert.Equal("rules.quotas[2]", e.Field);
        Assert.Equal("Delegates already has a quota for Women", e.Message);
    }

    [Fact]
    public void A_quota_for_an_undefined_group_is_refused()
    {
        var e = Assert.Throws<DomainException>(() => OpenWith(rules: Rules with { Quotas = [new Quota(SeatBody.Delegates, (QuotaGroup)7, 1)] }));

        Assert.Equal("rules.quotas[0]", e.Field);
    }

    [Fact]
    public void Rules_without_quotas_open_with_none()
    {
        Assert.Empty(OpenWith(rules: Rules with { Quotas = null! }).Rules!.Quotas);
    }

    [Fact]
    public void The_next_stage_is_refused_before_the_calendar_opens_it()
    {
        var process = Open();

        var e = Assert.Throws<ConflictException>(() => process.AdvanceTo(Stage.Concertation, Day("2026-04-19")));

        Assert.Equal("stage", e.Field);
        Assert.Equal("Concertation opens on 2026-04-20 by the calendar (2026-04-20 to 2026-05-29); today is 2026-04-19", e.Message);
        Assert.Equal(Stage.Preparation, process.Stage);
    }

    [Fact]
    public void A_stage_cannot_be_skipped()
    {
        var process = Open();

        var e = Assert.Throws<ConflictException>(() => process.AdvanceTo(Stage.Coordination, Day("2026-06-01")));

        Assert.Equal("stage", e.Field);
        Assert.Equal("The process is in Preparation; the next stage is Concertation, not Coordination", e.Message);
    }

    [Fact]
    public void Stages_advance_in_order_on_their_opening_day_and_none_follows_oversight()
    {
        var process = Open();

        foreach (var next in new[] { Stage.Concertation, Stage.Coordination, Stage.Formalization, Stage.Submission, Stage.Oversight })
        {
            var from = process.Stage;
            var advanced = process.AdvanceTo(next, Preparation.Windows.Of(next).From);

            Assert.Equal(next, process.Stage);
            Assert.Equal(from, advanced.FromStage);
            Assert.Equal(next, advanced.ToStage);
            Assert.Equal(process.Id, advanced.ProcessId);
            Assert.Equal(Miraflores, advanced.Jurisdiction);
        }

        var e = Assert.Throws<ConflictException>(() => process.AdvanceTo(Stage.Preparation, Day("2027-12-31")));
        Assert.Contains("the next stage is none", e.Message);
    }

    [Fact]
    public void A_step_outside_its_window_is_refused_with_the_window_and_today()
    {
        var process = Open();

        var e = Assert.Throws<ConflictException>(() => process.RequireStep(PreparationStep.Publication, "Publication of the eligible list", Day("2026-03-13")));

        Assert.Equal("calendar", e.Field);
        Assert.Equal("Publication of the eligible list is open from 2026-03-16 to 2026-03-20 (Lima); today is 2026-03-13", e.Message);
    }

    [Fact]
    public void The_open_steps_are_those_whose_window_holds_today()
    {
        var process = Open();
        var calendar = Preparation.Windows with { Publication = Window("2026-03-13", "2026-03-20") };
        var sharing = OpenWith(calendar: calendar);

        Assert.Equal([PreparationStep.Registration], process.OpenSteps(Day("2026-03-13")));
        Assert.Equal([PreparationStep.Registration, PreparationStep.Publication], sharing.OpenSteps(Day("2026-03-13")));
        Assert.Empty(process.OpenSteps(Day("2026-03-14")));
    }

    [Fact]
    public void Review_is_open_from_registration_to_the_end_of_publication()
    {
        var process = Open();

        process.RequireReviewOpen("Review of applications", Day("2026-03-02"));
        process.RequireReviewOpen("Review of applications", Day("2026-03-20"));
        var early = Assert.Throws<ConflictException>(() => process.RequireReviewOpen("Review of applications", Day("2026-03-01")));
        var late = Assert.Throws<ConflictException>(() => process.RequireReviewOpen("Review of applications", Day("2026-03-21")));

        Assert.Equal("calendar", early.Field);
        Assert.Equal("Review of applications is open from 2026-03-02 to 2026-03-20 (Lima); today is 2026-03-01", early.Message);
        Assert.Equal("calendar", late.Field);
        Assert.Contains("today is 2026-03-21", late.Message);
    }

    [Fact]
    public void Review_closes_once_the_list_is_published()
    {
        var process = Open();
        process.PublishEligibleList(Day("2026-03-16"), At("2026-03-16"));

        var e = Assert.Throws<ConflictException>(() => process.RequireReviewOpen("Review of applications", Day("2026-03-17")));

        Assert.Equal("eligibleList", e.Field);
        Assert.Equal("Review of applications closed when the list of eligible agents was published (2026-03-16)", e.Message);
    }

    [Fact]
    public void The_list_is_published_once_and_only_in_its_window()
    {
        var process = Open();

        var early = Assert.Throws<ConflictException>(() => process.PublishEligibleList(Day("2026-03-13"), At("2026-03-13")));
        Assert.Equal("calendar", early.Field);
        Assert.Null(process.EligibleListPublishedAt);

        process.PublishEligibleList(Day("2026-03-16"), At("2026-03-16"));
        Assert.Equal(At("2026-03-16"), process.EligibleListPublishedAt);

        var again = Assert.Throws<ConflictException>(() => process.PublishEligibleList(Day("2026-03-17"), At("2026-03-17")));
        Assert.Equal("eligibleList", again.Field);
        Assert.Contains("published on 2026-03-16", again.Message);
    }

    [Fact]
    public void A_step_of_Preparation_is_refused_once_the_process_has_left_it()
    {
        var process = Open();
        process.AdvanceTo(Stage.Concertation, Day("2026-04-20"));

        var e = Assert.Throws<ConflictException>(() => process.RequireStep(PreparationStep.Training, "Training", Day("2026-04-20")));

        Assert.Equal("stage", e.Field);
        Assert.Contains("the process is in Concertation", e.Message);
    }
}
