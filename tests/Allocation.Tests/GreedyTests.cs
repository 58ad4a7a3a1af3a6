namespace PBServices.Allocation.Tests;

public class GreedyTests
{
    [Fact]
    public void Greedy_funds_by_score_and_skips_what_no_longer_fits()
    {
        var selected = ScoredAllocation.Greedy(100m, [
            new ScoredProject("park", 70m, 50m),
            new ScoredProject("library", 40m, 45m),
            new ScoredProject("bench", 20m, 10m),
        ]);

        Assert.Equal(["park", "bench"], selected);
    }

    [Fact]
    public void Greedy_funds_a_project_that_costs_exactly_the_rest_of_the_budget()
    {
        var selected = ScoredAllocation.Greedy(100.50m, [
            new ScoredProject("a", 60.25m, 9m),
            new ScoredProject("b", 40.25m, 8m),
        ]);

        Assert.Equal(["a", "b"], selected);
    }

    [Fact]
    public void Equal_scores_are_broken_by_project_id_in_ordinal_order()
    {
        // Ordinal order puts "10" before "9" and "B" before "a".
        var selected = ScoredAllocation.Greedy(10m, [
            new ScoredProject("9", 10m, 5m),
            new ScoredProject("10", 10m, 5m),
        ]);
        var letters = ScoredAllocation.Greedy(10m, [
            new ScoredProject("a", 10m, 5m),
            new ScoredProject("B", 10m, 5m),
        ]);

        Assert.Equal(["10"], selected);
        Assert.Equal(["B"], letters);
    }

    [Fact]
    public void Greedy_without_skipping_stops_at_the_first_project_that_does_not_fit()
    {
        var projects = new[]
        {
            new ScoredProject("a", 60m, 9m),
            new ScoredProject("b", 50m, 8m),
            new ScoredProject("c", 10m, 7m),
        };

        var noSkip = ScoredAllocation.Explain(100m, projects, AllocationRule.GreedyNoSkip);
        var skip = ScoredAllocation.Explain(100m, projects, AllocationRule.Greedy);

        Assert.Equal(["a"], noSkip.Selected);
        Assert.Equal(["a", "c"], skip.Selected);
        var c = noSkip.Projects.Single(p => p.Id == "c");
        Assert.Equal(ProjectVerdict.NotReached, c.Verdict);
        Assert.Equal("b", c.After);
    }

    [Fact]
    public void Explanation_names_the_project_after_which_a_project_did_not_fit()
    {
        var outcome = ScoredAllocation.Explain(100m, [
            new ScoredProject("a", 70m, 9m),
            new ScoredProject("b", 40m, 8m),
        ], AllocationRule.Greedy);

        var b = outcome.Projects.Single(p => p.Id == "b");
        Assert.Equal(ProjectVerdict.DidNotFit, b.Verdict);
        Assert.Equal("a", b.After);
        Assert.Equal(30m, b.Available);
        Assert.Equal(70m, outcome.Spent);
    }

    [Fact]
    public void Scored_allocation_refuses_duplicate_ids_and_negative_costs()
    {
        Assert.Throws<ArgumentException>(() => ScoredAllocation.Greedy(10m, [new("a", 1m, 1m), new("a", 2m, 1m)]));
        Assert.Throws<ArgumentException>(() => ScoredAllocation.Greedy(10m, [new("a", -1m, 1m)]));
    }

    [Fact]
    public void Approval_greedy_ranks_by_number_of_supporters()
    {
        var e = Elections.Approval(100m, [("a", 80m), ("b", 30m), ("c", 20m)],
            ["a"], ["b", "c"], ["b"], ["c"], ["b"]);

        var outcome = Allocator.Allocate(e, AllocationRule.Greedy);

        Assert.Equal(["b", "c"], outcome.Selected);
        Assert.Equal(ProjectVerdict.DidNotFit, outcome.Projects.Single(p => p.Id == "a").Verdict);
    }
}
