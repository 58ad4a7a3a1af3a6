using PBServices.Allocation.Pabulib;

namespace PBServices.Allocation.Tests;

public class EqualSharesTests
{
    [Fact]
    public void Mes_funds_the_project_with_the_lowest_price_per_unit_of_utility_first()
    {
        // Shares of 100. A: 200/3 each from three voters (1/3 of its cost); C: 75 each (1/2); B: 100 (all).
        var e = Elections.Approval(300m, [("A", 200m), ("B", 100m), ("C", 150m)],
            ["A", "B"], ["A", "C"], ["A", "C"]);

        var outcome = Allocator.Allocate(e, AllocationRule.EqualShares);

        // After A every voter has 100/3 left: neither B (100) nor C (150) can be paid.
        Assert.Equal(["A"], outcome.Selected);
        var a = outcome.Projects.Single(p => p.Id == "A");
        Assert.Equal("1/3", a.PricePerUtility);
        Assert.Equal(3, a.PayingSupporters);
        Assert.Equal(ProjectVerdict.Unaffordable, outcome.Projects.Single(p => p.Id == "C").Verdict);
        Assert.Equal(66.67m, outcome.Projects.Single(p => p.Id == "C").Available);
    }

    [Fact]
    public void Mes_funds_a_project_that_costs_exactly_what_its_supporters_have_left()
    {
        // After A, each voter holds 100 − 200/3 = 100/3; three of them pay B's 100 exactly.
        // In doubles 3 × 33.333333333333336 is not 100, and a float implementation drops B.
        var e = Elections.Approval(300m, [("A", 200m), ("B", 100m)],
            ["A", "B"], ["A", "B"], ["A", "B"]);

        var outcome = Allocator.Allocate(e, AllocationRule.EqualShares);

        Assert.Equal(["A", "B"], outcome.Selected);
        Assert.Equal(300m, outcome.Spent);
    }

    [Fact]
    public void Mes_never_funds_a_project_its_supporters_cannot_afford()
    {
        // equalshares.net: 1 000 000 for 100 000 voters is a share of 10; a project costing
        // 10 000 with 500 votes has only 5 000 behind it and is removed from consideration.
        var ballots = Enumerable.Range(0, 100_000)
            .Select(i => i < 500 ? new[] { "expensive" } : new[] { "popular" }).ToArray();
        var e = Elections.Approval(1_000_000m, [("expensive", 10_000m), ("popular", 900_000m)], ballots);

        var outcome = Allocator.Allocate(e, AllocationRule.EqualShares);

        Assert.Equal(["popular"], outcome.Selected);
        var refused = outcome.Projects.Single(p => p.Id == "expensive");
        Assert.Equal(ProjectVerdict.Unaffordable, refused.Verdict);
        Assert.Equal(5_000m, refused.Available);
    }

    [Fact]
    public void Poorer_supporters_pay_what_they_have_and_the_rest_share_the_remainder()
    {
        // Shares 50. Round 1: X costs 60 for two voters (30 each, price 1/2). Voter 0 then has 20.
        // Y costs 50 for voters 0 and 2: 25 each is too much for voter 0, who pays 20; voter 2 pays 30.
        var e = Elections.Approval(150m, [("X", 60m), ("Y", 50m)],
            ["X", "Y"], ["X"], ["Y"]);

        var outcome = Allocator.Allocate(e, AllocationRule.EqualShares);

        Assert.Equal(["X", "Y"], outcome.Selected);
        var y = outcome.Projects.Single(p => p.Id == "Y");
        Assert.Equal("3/5", y.PricePerUtility); // voter 2 pays 30 of 50
        Assert.Equal(2, y.PayingSupporters);
    }

    [Fact]
    public void Equal_prices_are_broken_by_project_id_in_ordinal_order()
    {
        var e = Elections.Approval(100m, [("9", 100m), ("10", 100m)], ["9", "10"], ["9", "10"]);

        Assert.Equal(["10"], Allocator.Allocate(e, AllocationRule.EqualShares).Selected);
    }

    [Fact]
    public void Cumulative_ballots_pay_in_proportion_to_points()
    {
        // Shares 50. X: voter 0 gives 3 points, voter 1 gives 1; 80/4 = 20 a point would cost voter 0
        // 60 > 50, so voter 0 pays 50 and voter 1 pays the remaining 30 for its single point.
        var e = Elections.Cumulative(100m, [("X", 80m), ("Y", 80m)],
            [("X", 3), ("Y", 1)], [("X", 1), ("Y", 3)]);

        var outcome = Allocator.Allocate(e, AllocationRule.EqualShares);

        Assert.Equal(["X"], outcome.Selected); // X and Y tie at 30 a point; X wins on id
        var x = outcome.Projects.Single(p => p.Id == "X");
        Assert.Equal("30", x.PricePerUtility);
        Assert.Equal(ProjectVerdict.Unaffordable, outcome.Projects.Single(p => p.Id == "Y").Verdict);
    }

    [Fact]
    public void Completion_raises_shares_until_the_budget_is_used()
    {
        // Shares 50: P1 (60) is paid 30 + 30, then voter 0's 20 cannot pay P2 (40). From a share
        // of 70 voter 0 keeps 40 after P1 and P2 is funded too: exhaustive, so that outcome stands.
        var e = Elections.Approval(100m, [("P1", 60m), ("P2", 40m)], ["P1", "P2"], ["P1"]);

        Assert.Equal(["P1"], Allocator.Allocate(e, AllocationRule.EqualShares).Selected);
        var completed = Allocator.Allocate(e, AllocationRule.EqualSharesAdd1);
        Assert.Equal(["P1", "P2"], completed.Selected);
        Assert.Equal("70", completed.VoterShare);
    }

    [Fact]
    public void Completion_keeps_the_last_outcome_within_budget()
    {
        // From a share of 142, C becomes affordable after A and the outcome (350) exceeds the
        // budget (300), so completion keeps the outcome of share 141: A alone.
        var e = Elections.Approval(300m, [("A", 200m), ("B", 100m), ("C", 150m)],
            ["A", "B"], ["A", "C"], ["A", "C"]);

        var completed = Allocator.Allocate(e, AllocationRule.EqualSharesAdd1);

        Assert.Equal(["A"], completed.Selected);
        Assert.Equal("141", completed.VoterShare);
    }

    [Fact]
    public void Projects_nobody_supports_are_reported_as_such()
    {
        var e = Elections.Approval(100m, [("a", 10m), ("b", 10m)], ["a"]);

        var outcome = Allocator.Allocate(e, AllocationRule.EqualShares);

        Assert.Equal(ProjectVerdict.NoSupport, outcome.Projects.Single(p => p.Id == "b").Verdict);
    }

    [Fact]
    public void Mes_on_ranked_ballots_is_refused_with_a_reason()
    {
        var e = PbReader.ReadString(Elections.Text("ordinal", 10m, [("a", 5m)], ["a"], null));

        var error = Assert.Throws<NotSupportedException>(() => Allocator.Allocate(e, AllocationRule.EqualShares));
        Assert.Contains("ranked", error.Message);
    }

    [Theory]
    [InlineData(VoteType.Approval, 1UL)]
    [InlineData(VoteType.Approval, 2UL)]
    [InlineData(VoteType.Approval, 3UL)]
    [InlineData(VoteType.Cumulative, 4UL)]
    [InlineData(VoteType.Cumulative, 5UL)]
    [InlineData(VoteType.ChooseOne, 6UL)]
    public void Mes_matches_a_plain_per_voter_implementation_on_generated_elections(VoteType type, ulong seed)
    {
        var e = ElectionGenerator.Generate(voters: 60, projects: 10, type, seed);

        Assert.Equal(NaiveEqualShares.Run(e, addOne: false), Allocator.Allocate(e, AllocationRule.EqualShares).Selected);
        Assert.Equal(NaiveEqualShares.Run(e, addOne: true), Allocator.Allocate(e, AllocationRule.EqualSharesAdd1).Selected);
    }
}

public class EqualSharesEngineTests
{
    [Theory]
    [InlineData(VoteType.Approval, 11UL, 3_000, 60)]
    [InlineData(VoteType.Approval, 12UL, 20_000, 120)]
    [InlineData(VoteType.Cumulative, 13UL, 3_000, 60)]
    [InlineData(VoteType.ChooseOne, 15UL, 3_000, 60)]
    public void Certified_doubles_and_exact_fractions_choose_the_same_winners(VoteType type, ulong seed, int voters, int projects)
    {
        var e = ElectionGenerator.Generate(voters, projects, type, seed);
        var tally = Tally.Count(e);
        var fast = new Rules.EqualSharesRule(e, tally);
        var exact = new Rules.EqualSharesRule(e, tally) { Mode = Rules.EqualSharesRule.Engine.Exact };

        var fastOutcome = fast.Outcome(completeByAddOne: false);
        var exactOutcome = exact.Outcome(completeByAddOne: false);

        Assert.Equal(exactOutcome.Selected, fastOutcome.Selected);
        Assert.Equal(1, fast.IntervalRuns); // decided in doubles, not by falling back
        // Prices short enough to be shown as fractions are the same fractions.
        var exactPrices = exactOutcome.Projects.Where(p => p.PricePerUtility is { } x && !x.StartsWith('~')).ToDictionary(p => p.Id, p => p.PricePerUtility);
        var fastPrices = fastOutcome.Projects.Where(p => p.PricePerUtility is { } x && !x.StartsWith('~')).ToDictionary(p => p.Id, p => p.PricePerUtility);
        Assert.NotEmpty(fastPrices);
        Assert.All(fastPrices, kv => Assert.Equal(exactPrices[kv.Key], kv.Value));
    }

    [Fact]
    public void An_exact_tie_is_handed_to_exact_fractions()
    {
        var e = Elections.Approval(100m, [("9", 100m), ("10", 100m)], ["9", "10"], ["9", "10"]);
        var rule = new Rules.EqualSharesRule(e, Tally.Count(e));

        var outcome = rule.Outcome(completeByAddOne: false);

        Assert.Equal(["10"], outcome.Selected);
        Assert.Equal(1, rule.Fallbacks);
    }
}
