using System.Globalization;
using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Deliberation.Domain;

namespace PBServices.UnitTests.Deliberation;

public sealed class ProposalTests
{
    private static readonly DateTimeOffset Now = new(2025, 4, 2, 15, 0, 0, TimeSpan.Zero);
    private static readonly ProcessCopy Process = new(Guid.CreateVersion7(), "150122", "PP 2026", 2026, GovernmentLevel.District, 500_000m, Stage.Concertation);
    private static readonly AgentCopy Agent = new(Guid.CreateVersion7(), Process.Id, "Rosa Quispe Mamani");

    private static Proposal Submit(ProcessCopy? process = null, string? title = "Pistas y veredas del jirón Ayacucho",
        string? description = "Pavimentación de 400 m con veredas y drenaje pluvial", decimal cost = 180_000m, string? location = "Jr. Ayacucho, cuadras 1-4",
        int beneficiaries = 1200, string? planObjective = "OE2: Mejorar la transitabilidad urbana") =>
        Proposal.Submit(process ?? Process, Agent, Agent.AgentId, title, description, cost, location, beneficiaries, planObjective, Now).Proposal;

    /// <summary>As the endpoint does: <paramref name="accredited"/> is the accredited agent found for the id, if any.</summary>
    private static Proposal SubmitAs(Guid agentId, AgentCopy? accredited) =>
        Proposal.Submit(Process, accredited, agentId, "Losa deportiva", "Losa multiuso con graderías", 90_000m, "AA.HH. Villa Sol", 300, "OE4", Now).Proposal;

    [Fact]
    public void An_accredited_agent_submits_a_proposal_that_waits_for_assessment()
    {
        var proposal = Submit(title: "  Pistas y veredas del jirón Ayacucho ");

        Assert.Equal(ProposalStatus.Submitted, proposal.Status);
        Assert.Null(proposal.Score);
        Assert.Equal(Process.Id, proposal.ProcessId);
        Assert.Equal(Agent.AgentId, proposal.AgentId);
        Assert.Equal("Pistas y veredas del jirón Ayacucho", proposal.Title);
        Assert.Equal(180_000m, proposal.Cost);
        Assert.Equal(1200, proposal.Beneficiaries);
    }

    [Fact]
    public void Only_an_accredited_agent_may_propose()
    {
        Assert.Throws<ForbiddenException>(() => SubmitAs(Guid.CreateVersion7(), accredited: null));
    }

    [Fact]
    public void An_agent_accredited_in_another_process_may_not_propose()
    {
        var elsewhere = Agent with { ProcessId = Guid.CreateVersion7() };

        Assert.Throws<ForbiddenException>(() => SubmitAs(elsewhere.AgentId, elsewhere));
    }

    [Fact]
    public void Proposals_are_received_in_concertation_and_announced_to_the_technical_team()
    {
        var (proposal, submitted) = Proposal.Submit(Process, Agent, Agent.AgentId, "Losa deportiva", "Losa multiuso", 90_000m, "AA.HH. Villa Sol", 300, "OE4", Now);

        Assert.Equal(ProposalStatus.Submitted, proposal.Status);
        Assert.Equal(proposal.Id, submitted.ProposalId);
        Assert.Equal(Process.Jurisdiction, submitted.Jurisdiction);
        Assert.Equal(90_000m, submitted.Cost);
    }

    [Theory]
    [InlineData(Stage.Preparation)]
    [InlineData(Stage.Coordination)]
    [InlineData(Stage.Formalization)]
    [InlineData(Stage.Oversight)]
    public void Proposals_are_refused_outside_concertation(Stage stage)
    {
        var e = Assert.Throws<ConflictException>(() => Submit(process: Process with { Stage = stage }));

        Assert.Equal("stage", e.Field);
        Assert.Contains($"the process is in {stage}", e.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-100")]
    [InlineData("1000.555")]
    [InlineData("500000.01")]
    public void A_cost_that_is_not_positive_in_centimos_within_the_ceiling_is_refused(string cost)
    {
        var e = Assert.Throws<DomainException>(() => Submit(cost: decimal.Parse(cost, CultureInfo.InvariantCulture)));
        Assert.Equal("cost", e.Field);
    }

    [Fact]
    public void A_proposal_may_cost_the_whole_ceiling()
    {
        Assert.Equal(Process.BudgetCeiling, Submit(cost: Process.BudgetCeiling).Cost);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void A_proposal_without_beneficiaries_is_refused(int beneficiaries)
    {
        var e = Assert.Throws<DomainException>(() => Submit(beneficiaries: beneficiaries));
        Assert.Equal("beneficiaries", e.Field);
    }

    [Fact]
    public void Missing_text_fields_are_refused_by_name()
    {
        Assert.Equal("title", Assert.Throws<DomainException>(() => Submit(title: " ")).Field);
        Assert.Equal("description", Assert.Throws<DomainException>(() => Submit(description: null)).Field);
        Assert.Equal("location", Assert.Throws<DomainException>(() => Submit(location: "")).Field);
        Assert.Equal("planObjective", Assert.Throws<DomainException>(() => Submit(planObjective: "\t")).Field);
    }

    [Fact]
    public void Overlong_text_fields_are_refused_by_name()
    {
        Assert.Equal("title", Assert.Throws<DomainException>(() => Submit(title: new string('t', 201))).Field);
        Assert.Equal("description", Assert.Throws<DomainException>(() => Submit(description: new string('d', 4001))).Field);
        Assert.Equal(4000, Submit(description: new string('d', 4000)).Description.Length);
    }
}
