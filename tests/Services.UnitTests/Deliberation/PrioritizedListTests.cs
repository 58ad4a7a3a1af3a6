using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Deliberation.Domain;

namespace PBServices.UnitTests.Deliberation;

public sealed class PrioritizedListTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static ProcessCopy ProcessWithCeiling(decimal ceiling) =>
        new(Guid.CreateVersion7(), "150122", "PP 2026", 2026, GovernmentLevel.District, ceiling, Stage.Concertation);

    private static PrioritizedList Prioritize(ProcessCopy process, IReadOnlyList<AssessedProposal> proposals, DateTimeOffset now) =>
        PrioritizedList.Prioritize(process, proposals, now).List;

    private static AssessedProposal Viable(string title, decimal cost, decimal score) =>
        new(Guid.CreateVersion7(), title, cost, ProposalStatus.Viable, score);

    private static AssessedProposal NotViable(string title, decimal cost) =>
        new(Guid.CreateVersion7(), title, cost, ProposalStatus.NotViable, 0m);

    [Fact]
    public void A_list_is_refused_while_any_proposal_waits_for_assessment()
    {
        AssessedProposal[] proposals =
        [
            Viable("Pistas", 100m, 80m),
            new(Guid.CreateVersion7(), "Losa deportiva", 50m, ProposalStatus.Submitted, null),
        ];

        var e = Assert.Throws<ConflictException>(() => Prioritize(ProcessWithCeiling(1_000m), proposals, Now));

        Assert.Equal("processId", e.Field);
        Assert.StartsWith("1 proposal(s)", e.Message);
    }

    [Fact]
    public void A_list_is_refused_when_no_proposal_is_viable()
    {
        AssessedProposal[] proposals = [NotViable("Pistas", 100m), NotViable("Losa deportiva", 50m)];

        var e = Assert.Throws<ConflictException>(() => Prioritize(ProcessWithCeiling(1_000m), proposals, Now));

        Assert.Equal("processId", e.Field);
    }

    [Fact]
    public void Proposals_are_funded_by_score_skipping_what_does_not_fit()
    {
        var school = Viable("Aulas I.E. 3045", 600m, 95m);
        var roads = Viable("Pistas y veredas", 500m, 90m); // 400 left: does not fit, skipped
        var water = Viable("Agua potable", 300m, 70m);
        var park = Viable("Parque zonal", 150m, 60m); // 100 left: does not fit
        var lights = Viable("Alumbrado", 100m, 10m);

        var list = Prioritize(ProcessWithCeiling(1_000m), [park, roads, lights, school, water], Now);

        Assert.Equal(["Aulas I.E. 3045", "Agua potable", "Alumbrado"], list.Items.Select(i => i.Title));
        Assert.Equal([1, 2, 3], list.Items.Select(i => i.Rank));
        Assert.Equal(1_000m, list.Total);
        Assert.Equal([95m, 70m, 10m], list.Items.Select(i => i.Score));
        Assert.Equal(PrioritizedList.GreedyRule, list.Rule);
    }

    [Fact]
    public void A_not_viable_proposal_is_never_funded_however_cheap()
    {
        var rejected = NotViable("Obra sin expediente", 1m);
        var list = Prioritize(ProcessWithCeiling(1_000m), [rejected, Viable("Pistas", 200m, 50m)], Now);

        Assert.DoesNotContain(list.Items, i => i.ProposalId == rejected.Id);
        Assert.Single(list.Items);
    }

    [Fact]
    public void Funded_proposals_never_exceed_the_ceiling()
    {
        var random = new Random(2026);
        for (var round = 0; round < 200; round++)
        {
            var ceiling = random.Next(1, 2_000_000) / 100m + 1m;
            var proposals = Enumerable.Range(0, random.Next(1, 25))
                .Select(i => Viable($"P{i}", random.Next(1, 50_000_000) / 100m, random.Next(0, 10_001) / 100m))
                .ToList();

            var list = Prioritize(ProcessWithCeiling(ceiling), proposals, Now);

            Assert.True(list.Total <= ceiling, $"round {round}: {list.Total} > {ceiling}");
            Assert.Equal(Enumerable.Range(1, list.Items.Count), list.Items.Select(i => i.Rank));
            // Greedy with skipping: whatever was left out no longer fitted when its turn came.
            var leftOver = ceiling - list.Total;
            Assert.All(proposals.Where(p => list.Items.All(i => i.ProposalId != p.Id)), p => Assert.True(p.Cost > leftOver));
        }
    }

    [Fact]
    public void Ties_in_score_are_broken_the_same_way_whatever_the_submission_order()
    {
        var tied = Enumerable.Range(0, 6).Select(i => Viable($"Obra {i}", 100m, 75m)).ToList();
        var process = ProcessWithCeiling(300m);

        var forward = Prioritize(process, tied, Now);
        var backward = Prioritize(process, Enumerable.Reverse(tied).ToList(), Now);

        Assert.Equal(3, forward.Items.Count);
        Assert.Equal(forward.Items.Select(i => i.ProposalId), backward.Items.Select(i => i.ProposalId));
        // The documented tie-break: proposal id in ordinal string order.
        Assert.Equal(tied.Select(p => p.Id.ToString()).Order(StringComparer.Ordinal).Take(3), forward.Items.Select(i => i.ProposalId.ToString()));
    }

    [Fact]
    public void The_event_carries_the_list_as_prioritised()
    {
        var school = Viable("Aulas I.E. 3045", 600m, 95m);
        var (list, prioritized) = PrioritizedList.Prioritize(ProcessWithCeiling(1_000m), [school], Now);

        Assert.Equal(list.Id, prioritized.ListId);
        Assert.Equal(list.Items, prioritized.Projects);
        Assert.Equal(GovernmentLevel.District, prioritized.Level);
    }

    [Theory]
    [InlineData(Stage.Preparation)]
    [InlineData(Stage.Coordination)]
    [InlineData(Stage.Formalization)]
    public void Prioritisation_happens_only_in_Concertation(Stage stage)
    {
        var e = Assert.Throws<ConflictException>(() => Prioritize(ProcessWithCeiling(1_000m) with { Stage = stage }, [Viable("Pistas", 100m, 80m)], Now));

        Assert.Equal("stage", e.Field);
        Assert.Contains($"the process is in {stage}", e.Message);
    }
}
