using PBServices.Allocation;
using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Deliberation.Domain;

namespace PBServices.UnitTests.Deliberation;

public sealed class VotingRoundTests
{
    // 10:00 in Lima on 1 June 2026, inside Concertation's window below.
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 15, 0, 0, TimeSpan.Zero);
    private static readonly Guid ProcessId = Guid.CreateVersion7();
    private static readonly DateWindow Day = new(new DateOnly(2026, 1, 5), new DateOnly(2026, 1, 5));
    private static readonly ProcessCalendar Calendar = new(Day, Day, Day, Day, Day,
        new DateWindow(new DateOnly(2026, 5, 4), new DateOnly(2026, 6, 30)), new(new(2026, 7, 1), new(2026, 7, 31)),
        new(new(2026, 8, 3), new(2026, 8, 7)), new(new(2026, 8, 10), new(2026, 8, 14)), new(new(2026, 8, 17), new(2027, 12, 31)));

    private static readonly AssessedProposal Water = new(Guid.CreateVersion7(), "Agua potable Pampa Inalámbrica", 1_200_000m, ProposalStatus.Viable, 88m);
    private static readonly AssessedProposal Road = new(Guid.CreateVersion7(), "Pistas y veredas El Algarrobal", 900_000m, ProposalStatus.Viable, 74m);
    private static readonly AssessedProposal Clinic = new(Guid.CreateVersion7(), "Posta médica Miramar", 450_000m, ProposalStatus.Viable, 81m);
    private static readonly AssessedProposal Bridge = new(Guid.CreateVersion7(), "Puente regional", 5_000_000m, ProposalStatus.NotViable, 0m);

    private static readonly Eligibility Voter = new(Guid.CreateVersion7(), true, true, true, true, []);

    private static ProcessCopy Process(BallotFormat format = BallotFormat.Approval, string rule = "mes-add1", Stage stage = Stage.Concertation) =>
        new(ProcessId, "180300", "PP Ilo 2027", 2027, GovernmentLevel.Province, 2_500_000m, stage, new ProcessRules(2, true, format, rule, 5, 4, 5, []));

    private static VotingRound Open(BallotFormat format = BallotFormat.Approval, decimal? budgetLimit = null, int? maxProjects = null, int? points = null) =>
        VotingRound.Open(Process(format), Calendar, [Water, Road, Clinic, Bridge], budgetLimit, maxProjects, points, Now);

    private static BallotChoice Choose(params AssessedProposal[] projects) => new(projects.Select(p => p.Id).ToList(), []);

    [Fact]
    public void A_round_lists_every_viable_proposal_and_only_those_in_the_process_s_ballot_format()
    {
        var round = Open();

        Assert.Equal([Water.Id, Road.Id, Clinic.Id], round.Projects.Select(p => p.ProposalId));
        Assert.Equal(BallotFormat.Approval, round.Format);
    }

    [Fact]
    public void A_round_waits_for_every_assessment()
    {
        var pending = Water with { Status = ProposalStatus.Submitted };

        var e = Assert.Throws<ConflictException>(() => VotingRound.Open(Process(), Calendar, [pending, Road], null, null, null, Now));

        Assert.Contains("1 proposal(s) still wait for the technical assessment", e.Message);
    }

    [Fact]
    public void Voting_outside_Concertation_s_window_is_refused_with_the_window()
    {
        var e = Assert.Throws<ConflictException>(() => VotingRound.Open(Process(), Calendar, [Water], null, null, null, new DateTimeOffset(2026, 7, 2, 15, 0, 0, TimeSpan.Zero)));

        Assert.Equal("calendar", e.Field);
        Assert.Contains("2026-05-04 to 2026-06-30", e.Message);
    }

    [Fact]
    public void A_cumulative_round_needs_its_points_and_others_take_none()
    {
        Assert.Equal("points", Assert.Throws<DomainException>(() => Open(BallotFormat.Cumulative)).Field);
        Assert.Equal("points", Assert.Throws<DomainException>(() => Open(points: 10)).Field);
        Assert.Equal("budgetLimit", Assert.Throws<DomainException>(() => Open(BallotFormat.Plurality, budgetLimit: 1_000_000m)).Field);
        Assert.Equal(10, Open(BallotFormat.Cumulative, points: 10).Points);
    }

    [Fact]
    public void An_approval_ballot_within_the_limits_gets_a_receipt_and_a_random_id()
    {
        var round = Open(budgetLimit: 2_000_000m, maxProjects: 2);

        var first = round.Cast(Process(), Calendar, Voter, Choose(Water, Clinic), Now);
        var second = round.Cast(Process(), Calendar, Voter, Choose(Road), Now);

        Assert.True(Receipts.IsWellFormed(first.Receipt), first.Receipt);
        Assert.NotEqual(first.Receipt, second.Receipt);
        Assert.Equal(4, first.Id.Version); // random, not time-ordered like the other ids of the service
        Assert.Equal([Water.Id, Clinic.Id], first.Choice.Projects);
    }

    [Fact]
    public void A_ballot_over_the_budget_limit_is_refused_with_both_amounts()
    {
        var e = Assert.Throws<DomainException>(() => Open(budgetLimit: 2_000_000m).Cast(Process(), Calendar, Voter, Choose(Water, Road), Now));

        Assert.Equal("projects", e.Field);
        Assert.Equal("The projects chosen cost S/ 2,100,000.00, over the ballot's limit of S/ 2,000,000.00", e.Message);
    }

    [Fact]
    public void Unknown_duplicate_too_many_or_no_projects_are_refused_naming_the_field()
    {
        var round = Open(maxProjects: 2);
        var unknown = new BallotChoice([Water.Id, Bridge.Id], []);

        Assert.Equal("projects[1]", Assert.Throws<DomainException>(() => round.Cast(Process(), Calendar, Voter, unknown, Now)).Field);
        Assert.Contains("appears twice", Assert.Throws<DomainException>(() => round.Cast(Process(), Calendar, Voter, Choose(Water, Water), Now)).Message);
        Assert.Contains("At most 2 projects", Assert.Throws<DomainException>(() => round.Cast(Process(), Calendar, Voter, Choose(Water, Road, Clinic), Now)).Message);
        Assert.Contains("at least one project", Assert.Throws<DomainException>(() => round.Cast(Process(), Calendar, Voter, Choose(), Now)).Message);
    }

    [Fact]
    public void A_plurality_ballot_names_exactly_one_project()
    {
        var round = Open(BallotFormat.Plurality);

        Assert.Single(round.Cast(Process(BallotFormat.Plurality), Calendar, Voter, Choose(Road), Now).Choice.Projects);
        Assert.Contains("exactly one", Assert.Throws<DomainException>(() => round.Cast(Process(BallotFormat.Plurality), Calendar, Voter, Choose(Road, Water), Now)).Message);
    }

    [Fact]
    public void Cumulative_points_are_positive_one_per_project_and_within_the_total()
    {
        var round = Open(BallotFormat.Cumulative, points: 5);
        var process = Process(BallotFormat.Cumulative);

        Assert.Equal([3, 2], round.Cast(process, Calendar, Voter, new BallotChoice([Water.Id, Road.Id], [3, 2]), Now).Choice.Points);
        Assert.Equal("At most 5 points in all; this ballot gives 6",
            Assert.Throws<DomainException>(() => round.Cast(process, Calendar, Voter, new BallotChoice([Water.Id, Road.Id], [3, 3]), Now)).Message);
        Assert.Equal("points", Assert.Throws<DomainException>(() => round.Cast(process, Calendar, Voter, new BallotChoice([Water.Id, Road.Id], [5]), Now)).Field);
        Assert.Equal("points", Assert.Throws<DomainException>(() => round.Cast(process, Calendar, Voter, new BallotChoice([Water.Id], [0]), Now)).Field);
    }

    [Fact]
    public void An_agent_who_may_not_vote_is_refused_with_the_reason()
    {
        var untrained = Voter with { MayVote = false, Trained = false, Reasons = [IneligibilityReason.TrainingNotAttended] };

        var e = Assert.Throws<ForbiddenException>(() => Open().Cast(Process(), Calendar, untrained, Choose(Water), Now));

        Assert.Contains("TrainingNotAttended", e.Message);
    }

    [Fact]
    public void A_closed_round_takes_no_ballot_and_closes_once()
    {
        var round = Open();
        round.Close(Process(), Now);

        Assert.Equal("roundId", Assert.Throws<ConflictException>(() => round.Cast(Process(), Calendar, Voter, Choose(Water), Now)).Field);
        Assert.Contains("already closed", Assert.Throws<ConflictException>(() => round.Close(Process(), Now)).Message);
    }

    [Fact]
    public void The_open_data_counts_to_the_same_result_as_the_library_and_lists_ballots_by_receipt_only()
    {
        var round = Open();
        var process = Process();
        CastBallot[] ballots =
        [
            round.Cast(process, Calendar, Voter, Choose(Water), Now),
            round.Cast(process, Calendar, Voter, Choose(Water, Clinic), Now),
            round.Cast(process, Calendar, Voter, Choose(Road, Clinic), Now),
            round.Cast(process, Calendar, Voter, Choose(Clinic), Now),
        ];

        var pabulib = RoundElection.ToPabulib(process, round, ballots);
        var greedy = RoundElection.Allocate(pabulib, "greedy");

        Assert.Contains("vote_type;approval", pabulib);
        Assert.Contains("budget;2500000", pabulib);
        Assert.All(ballots, b => Assert.Contains($"{b.Receipt};", pabulib));
        Assert.DoesNotContain(Voter.AgentId.ToString(), pabulib);
        // Clinic 3 votes, Water 2, Road 1: greedy funds the clinic and the water within S/ 2,500,000.
        Assert.Equal([Clinic.Id.ToString(), Water.Id.ToString()], greedy.Selected);
        Assert.Equal(ProjectVerdict.DidNotFit, greedy.Projects.Single(p => p.Id == Road.Id.ToString()).Verdict);
        Assert.Equal(AllocationRule.EqualSharesAdd1, RoundElection.Allocate(pabulib, "mes-add1").Rule);
    }

    [Fact]
    public void The_vote_s_funded_projects_become_the_prioritised_list_in_funding_order()
    {
        var round = Open();
        var process = Process(rule: "greedy");
        CastBallot[] ballots = [round.Cast(process, Calendar, Voter, Choose(Road), Now), round.Cast(process, Calendar, Voter, Choose(Road, Clinic), Now)];
        var outcome = RoundElection.Allocate(RoundElection.ToPabulib(process, round, ballots), "greedy");

        Assert.Contains("still open", Assert.Throws<ConflictException>(() => PrioritizedList.FromVote(process, round, outcome, Now)).Message);
        round.Close(process, Now);
        var (list, prioritized) = PrioritizedList.FromVote(process, round, outcome, Now);

        Assert.Equal([(Road.Id, 1, 2m), (Clinic.Id, 2, 1m)], list.Items.Select(i => (i.ProposalId, i.Rank, i.Score)));
        Assert.Equal("greedy", prioritized.Rule);
        Assert.Equal(1_350_000m, list.Total);
    }

    [Theory]
    [InlineData("7KQ4-M2XD-9HTE", true)]
    [InlineData("7kq4-m2xd-9hte", false)]
    [InlineData("7KQ4M2XD9HTE", false)]
    [InlineData("7KQ4-M2XD-9HTU", false)] // U is not in Crockford's alphabet
    [InlineData(null, false)]
    public void A_receipt_is_three_groups_of_four_Crockford_characters(string? code, bool wellFormed) =>
        Assert.Equal(wellFormed, Receipts.IsWellFormed(code));

    [Fact]
    public void A_paper_ballot_is_checked_like_any_other_and_counted_as_paper()
    {
        var round = Open(maxProjects: 2);

        var paper = round.EnterPaper(Process(), Calendar, Choose(Water, Clinic), Now);

        Assert.Equal(BallotChannel.Paper, paper.Channel);
        Assert.True(Receipts.IsWellFormed(paper.Receipt));
        Assert.Contains("At most 2 projects", Assert.Throws<DomainException>(() => round.EnterPaper(Process(), Calendar, Choose(Water, Road, Clinic), Now)).Message);
        round.Close(Process(), Now);
        Assert.Equal("roundId", Assert.Throws<ConflictException>(() => round.EnterPaper(Process(), Calendar, Choose(Water), Now)).Field);
    }

    [Fact]
    public void Equal_shares_says_how_many_voters_it_serves_better_than_greedy_on_the_same_ballots()
    {
        // A majority of six wants a market that costs more than their share of the budget; a minority of four
        // wants a canal their share pays for. Greedy funds the most voted; equal shares, what each group can pay.
        var market = new AssessedProposal(Guid.CreateVersion7(), "Mercado", 8m, ProposalStatus.Viable, 0m);
        var canal = new AssessedProposal(Guid.CreateVersion7(), "Canal de riego", 4m, ProposalStatus.Viable, 0m);
        var process = new ProcessCopy(ProcessId, "180300", "PP", 2027, GovernmentLevel.Province, 10m, Stage.Concertation, new ProcessRules(2, true, BallotFormat.Approval, "mes", 5, 4, 5, []));
        var round = VotingRound.Open(process, Calendar, [market, canal], null, null, null, Now);
        var ballots = Enumerable.Range(0, 6).Select(_ => round.Cast(process, Calendar, Voter, Choose(market), Now))
            .Concat(Enumerable.Range(0, 4).Select(_ => round.Cast(process, Calendar, Voter, Choose(canal), Now))).ToList();
        var pabulib = RoundElection.ToPabulib(process, round, ballots);

        var shares = RoundElection.Allocate(pabulib, "mes");
        var compared = RoundElection.CompareWithGreedy(pabulib, shares, ballots);

        Assert.Equal([canal.Id.ToString()], shares.Selected);
        Assert.Equal([market.Id.ToString()], compared.GreedySelected);
        Assert.Equal(8m, compared.GreedySpent);
        Assert.Equal((4, 6, 0), (compared.PreferThisOutcome, compared.PreferGreedy, compared.Indifferent));
    }
}
