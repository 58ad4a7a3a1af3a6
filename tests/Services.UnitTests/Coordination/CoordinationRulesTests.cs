using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Processes;
using PBServices.Contracts;
using PBServices.Coordination.Domain;

namespace PBServices.UnitTests.Coordination;

public sealed class CoordinationRulesTests
{
    private static readonly Guid ListId = Guid.CreateVersion7();
    private static readonly Guid Province = Guid.CreateVersion7();
    private static readonly Guid District = Guid.CreateVersion7();

    private static CoordinationItem Item(string title, decimal cost, int rank) =>
        new(Guid.CreateVersion7(), ListId, title, cost, 80m, rank, rank, ItemStatus.Included, null);

    private static ProposalCopy Proposal(CoordinationItem item, string objective, GovernmentLevel? competence, params string[] districts) =>
        new(item.ProposalId, Guid.CreateVersion7(), "220101", item.Title, item.Cost, "Tarapoto", 5000, objective, districts, competence);

    private static CofinancingShare Government(Guid process, decimal amount, Contribution contribution = Contribution.Money) =>
        new(PartyKind.Government, $"Municipalidad {process}", process, contribution, amount, null);

    [Fact]
    public void A_project_meets_each_impact_rule_it_crosses_and_says_which()
    {
        var rules = ImpactRules.Validate(800_000m, true, ["OE1 Conectividad vial regional"]);
        var road = Item("Carretera vecinal", 900_000m, 1);

        var reasons = rules.Classify(road, Proposal(road, "oe1 conectividad vial regional ", GovernmentLevel.Province, "220101", "220102"), GovernmentLevel.District);

        Assert.Equal(4, reasons.Count);
        Assert.Contains("S/ 900,000.00, above the threshold of S/ 800,000.00", reasons[0], StringComparison.Ordinal);
        Assert.Contains("2 districts: 220101, 220102", reasons[1], StringComparison.Ordinal);
        Assert.Contains("OE1 Conectividad vial regional", reasons[2], StringComparison.Ordinal);
        Assert.Contains("Province matter", reasons[3], StringComparison.Ordinal);
    }

    [Fact]
    public void A_local_project_meets_no_rule()
    {
        var rules = ImpactRules.Validate(800_000m, true, ["OE1 Conectividad vial regional"]);
        var clinic = Item("Posta de salud", 400_000m, 2);

        Assert.Empty(rules.Classify(clinic, Proposal(clinic, "OE2 Salud", GovernmentLevel.District, "220101"), GovernmentLevel.District));
        // A province's own matter is no wider impact on the province's list.
        Assert.Empty(rules.Classify(clinic, Proposal(clinic, "OE2 Salud", GovernmentLevel.Province), GovernmentLevel.Province));
    }

    [Theory]
    [InlineData(null, false, new string[0], "costThreshold")]
    [InlineData(-1.0, true, new string[0], "costThreshold")]
    [InlineData(null, false, new[] { "OE1", "oe1" }, "planObjectives")]
    [InlineData(null, false, new[] { " " }, "planObjectives[0]")]
    public void Impact_rules_that_set_nothing_or_repeat_an_objective_are_refused(double? threshold, bool multiDistrict, string[] objectives, string field)
    {
        var e = Assert.ThrowsAny<DomainException>(() => ImpactRules.Validate((decimal?)threshold, multiDistrict, objectives));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void Shares_add_up_to_the_cost_exactly()
    {
        var shares = CoordinationRules.Shares(
            [Government(Province, 630_000m), new CofinancingShare(PartyKind.Community, " Junta vecinal ", null, Contribution.Labour, 270_000m, "Faenas")], 900_000m);

        Assert.Equal("Junta vecinal", shares[1].Party);
        var e = Assert.Throws<DomainException>(() => CoordinationRules.Shares([Government(Province, 630_000m)], 900_000m));
        Assert.Equal("shares", e.Field);
        Assert.Contains("S/ 630,000.00; the project costs S/ 900,000.00", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_government_pays_money_from_a_named_process_and_no_party_is_named_twice()
    {
        Assert.Equal("shares[0].processId", Assert.Throws<DomainException>(() =>
            CoordinationRules.Shares([new CofinancingShare(PartyKind.Government, "Provincia", null, Contribution.Money, 100m, null)], 100m)).Field);
        Assert.Equal("shares[0].contribution", Assert.Throws<DomainException>(() => CoordinationRules.Shares([Government(Province, 100m, Contribution.Labour)], 100m)).Field);
        Assert.Equal("shares[0].processId", Assert.Throws<DomainException>(() =>
            CoordinationRules.Shares([new CofinancingShare(PartyKind.Company, "Minera", District, Contribution.Money, 100m, null)], 100m)).Field);
        Assert.Equal("shares[1].party", Assert.Throws<DomainException>(() =>
            CoordinationRules.Shares([Government(Province, 50m), Government(Province, 50m) with { Party = "Otra" }], 100m)).Field);
        Assert.Equal("shares[1].amount", Assert.Throws<DomainException>(() =>
            CoordinationRules.Shares([Government(Province, 150m), Government(District, -50m)], 100m)).Field);
        Assert.Equal("shares", Assert.Throws<DomainException>(() => CoordinationRules.Shares([], 100m)).Field);
    }

    [Fact]
    public void Renumbering_keeps_ranks_consecutive_and_puts_a_moved_project_where_asked()
    {
        var (a, b, c) = (Item("A", 1m, 1), Item("B", 1m, 2), Item("C", 1m, 3));

        var moved = CoordinationRules.Renumber([a, b, c], c.ProposalId, 1);
        Assert.Equal([("C", 1), ("A", 2), ("B", 3)], moved.OrderBy(i => i.Rank).Select(i => (i.Title, i.Rank!.Value)));

        var dropped = CoordinationRules.Renumber([a, b with { Status = ItemStatus.Dropped }, c]);
        Assert.Equal([("A", (int?)1), ("B", null), ("C", 2)], dropped.Select(i => (i.Title, i.Rank)));
        // The agents' ranks stay as they were, beside the new ones.
        Assert.Equal([1, 2, 3], dropped.Select(i => i.AgreedRank!.Value));
    }

    [Fact]
    public void A_rank_outside_the_list_and_a_project_off_the_list_are_refused()
    {
        Assert.Equal("rank", Assert.Throws<DomainException>(() => CoordinationRules.ValidRank(4, 3)).Field);
        var dropped = Item("A", 1m, 1) with { Status = ItemStatus.Dropped, Rank = null };
        Assert.IsType<ConflictException>(Assert.ThrowsAny<DomainException>(() => CoordinationRules.Included([dropped], dropped.ProposalId)));
        Assert.Equal("proposalId", Assert.Throws<DomainException>(() => CoordinationRules.Included([dropped], Guid.CreateVersion7())).Field);
    }

    [Fact]
    public void Decisions_happen_in_Coordination_on_an_open_list()
    {
        var list = CoordinatedList.Restore(ListId, Province, "220100", "Province", 2027, 1_000_000m, "greedy", "Received", null, null, []);
        Assert.Equal("stage", Assert.Throws<ConflictException>(() =>
            CoordinationRules.RequireOpen(list, new ProcessStage(Province, "220100", Stage.Formalization), "Dropping")).Field);
        list.MarkCoordinated();
        Assert.Contains("closed", Assert.Throws<ConflictException>(() =>
            CoordinationRules.RequireOpen(list, new ProcessStage(Province, "220100", Stage.Coordination), "Dropping")).Message, StringComparison.Ordinal);
        Assert.Throws<ConflictException>(list.MarkCoordinated);
    }
}
