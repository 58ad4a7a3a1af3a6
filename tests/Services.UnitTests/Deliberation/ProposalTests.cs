using System.Globalization;
using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
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

    private static readonly ProposalChange NewRoute = new(null, null, 150_000m, "Jr. Ayacucho, cuadras 1-3", null, null);

    private static ProposalChange Whole(decimal cost = 200_000m) =>
        new("Pistas y veredas del jirón Ayacucho", "Pavimentación de 500 m con veredas", cost, "Jr. Ayacucho, cuadras 1-5", 1500, "OE2: Mejorar la transitabilidad urbana");

    private static AssessmentOutcome Verdict(Proposal p, AssessmentRecommendation recommendation, decimal? adjustedCost = null, int? version = null, decimal score = 70m) =>
        new(p.Id, version ?? p.Version, recommendation, recommendation is AssessmentRecommendation.Viable or AssessmentRecommendation.ViableAtAdjustedCost ? score : 0m,
            adjustedCost, "Razones del equipo técnico");

    [Fact]
    public void An_edit_while_waiting_for_assessment_is_version_2_announced_whole_to_the_technical_team()
    {
        var proposal = Submit();

        var revised = proposal.Revise(Process, Agent, Agent.AgentId, voteBegun: false, NewRoute, replace: false);

        Assert.Equal((2, ProposalStatus.Submitted), (proposal.Version, proposal.Status));
        Assert.Equal(150_000m, proposal.Cost);
        // A patch keeps what it does not name.
        Assert.Equal(("Pistas y veredas del jirón Ayacucho", 1200), (proposal.Title, proposal.Beneficiaries));
        Assert.Equal((proposal.Id, 2, 150_000m, "Jr. Ayacucho, cuadras 1-3", "Pistas y veredas del jirón Ayacucho"),
            (revised.ProposalId, revised.Version, revised.Cost, revised.Location, revised.Title));
        Assert.Equal((Process.Id, Process.Jurisdiction, Agent.AgentId), (revised.ProcessId, revised.Jurisdiction, revised.AgentId));
    }

    [Fact]
    public void A_replacement_needs_every_field_and_names_the_missing_one()
    {
        var proposal = Submit();

        Assert.Equal("title", Assert.Throws<DomainException>(() => proposal.Revise(Process, Agent, Agent.AgentId, false, NewRoute, replace: true)).Field);
        Assert.Equal("beneficiaries", Assert.Throws<DomainException>(() => proposal.Revise(Process, Agent, Agent.AgentId, false, Whole() with { Beneficiaries = null }, replace: true)).Field);
        Assert.Equal("cost", Assert.Throws<DomainException>(() => proposal.Revise(Process, Agent, Agent.AgentId, false, Whole(cost: 500_000.01m), replace: true)).Field);
        Assert.Equal(1, proposal.Version);
    }

    [Fact]
    public void Only_the_proposer_changes_or_withdraws_a_proposal()
    {
        var proposal = Submit();
        var other = new AgentCopy(Guid.CreateVersion7(), Process.Id, "Juana Ccori Flores");

        Assert.Throws<ForbiddenException>(() => proposal.Revise(Process, other, other.AgentId, false, NewRoute, replace: false));
        Assert.Throws<ForbiddenException>(() => proposal.Withdraw(Process, other.AgentId, false, "No corresponde"));
        // Revoked since: the proposer is no longer an accredited agent of the process.
        Assert.Throws<ForbiddenException>(() => proposal.Revise(Process, null, Agent.AgentId, false, NewRoute, replace: false));
        Assert.Equal((1, ProposalStatus.Submitted), (proposal.Version, proposal.Status));
    }

    [Fact]
    public void An_observed_proposal_is_revised_and_waits_for_a_new_assessment_without_the_old_verdict()
    {
        var proposal = Submit();
        Assert.True(proposal.Record(Verdict(proposal, AssessmentRecommendation.Observed)));
        Assert.Equal((ProposalStatus.Observed, "Razones del equipo técnico"), (proposal.Status, proposal.AssessmentReasons));

        var revised = proposal.Revise(Process, Agent, Agent.AgentId, false, Whole(), replace: true);

        Assert.Equal((2, ProposalStatus.Submitted, 200_000m), (proposal.Version, proposal.Status, proposal.Cost));
        Assert.Equal(((AssessmentRecommendation?)null, (string?)null, (decimal?)null), (proposal.Recommendation, proposal.AssessmentReasons, proposal.Score));
        Assert.Equal(2, revised.Version);
    }

    [Theory]
    [InlineData(AssessmentRecommendation.Viable)]
    [InlineData(AssessmentRecommendation.NotViable)]
    public void An_assessed_proposal_no_longer_changes(AssessmentRecommendation verdict)
    {
        var proposal = Submit();
        proposal.Record(Verdict(proposal, verdict));

        var e = Assert.Throws<ConflictException>(() => proposal.Revise(Process, Agent, Agent.AgentId, false, NewRoute, replace: false));

        Assert.Equal("status", e.Field);
        Assert.Contains("waits for the technical team or after it observed it", e.Message);
    }

    [Fact]
    public void Once_the_vote_opens_proposals_neither_change_nor_are_withdrawn()
    {
        var proposal = Submit();

        var change = Assert.Throws<ConflictException>(() => proposal.Revise(Process, Agent, Agent.AgentId, voteBegun: true, NewRoute, replace: false));
        var withdrawal = Assert.Throws<ConflictException>(() => proposal.Withdraw(Process, Agent.AgentId, voteBegun: true, "Ya no"));

        Assert.All([change, withdrawal], e => Assert.Contains("vote has opened", e.Message));
        Assert.Equal((1, ProposalStatus.Submitted), (proposal.Version, proposal.Status));
    }

    [Fact]
    public void Proposals_change_only_in_concertation()
    {
        var proposal = Submit();
        var coordination = Process with { Stage = Stage.Coordination };

        Assert.Equal("stage", Assert.Throws<ConflictException>(() => proposal.Revise(coordination, Agent, Agent.AgentId, false, NewRoute, replace: false)).Field);
        Assert.Equal("stage", Assert.Throws<ConflictException>(() => proposal.Withdraw(coordination, Agent.AgentId, false, "Ya no")).Field);
    }

    [Fact]
    public void A_withdrawal_states_its_reason_and_is_final()
    {
        var proposal = Submit();
        Assert.Equal("reason", Assert.Throws<DomainException>(() => proposal.Withdraw(Process, Agent.AgentId, false, "  ")).Field);

        proposal.Withdraw(Process, Agent.AgentId, false, " La junta vecinal financiará la obra ");

        Assert.Equal((ProposalStatus.Withdrawn, "La junta vecinal financiará la obra"), (proposal.Status, proposal.WithdrawalReason));
        Assert.Equal("status", Assert.Throws<ConflictException>(() => proposal.Withdraw(Process, Agent.AgentId, false, "Otra vez")).Field);
        Assert.Equal("status", Assert.Throws<ConflictException>(() => proposal.Revise(Process, Agent, Agent.AgentId, false, NewRoute, replace: false)).Field);
        // A verdict arriving afterwards changes nothing.
        Assert.False(proposal.Record(Verdict(proposal, AssessmentRecommendation.Viable)));
        Assert.Equal(ProposalStatus.Withdrawn, proposal.Status);
    }

    [Fact]
    public void Viable_at_an_adjusted_cost_is_viable_and_the_adjusted_cost_is_what_prioritisation_uses()
    {
        var proposal = Submit(cost: 180_000m);

        Assert.True(proposal.Record(Verdict(proposal, AssessmentRecommendation.ViableAtAdjustedCost, adjustedCost: 210_000m)));

        Assert.Equal(ProposalStatus.Viable, proposal.Status);
        Assert.Equal((180_000m, (decimal?)210_000m, 210_000m), (proposal.Cost, proposal.AdjustedCost, proposal.EffectiveCost));
        Assert.Equal(210_000m, new AssessedProposal(proposal.Id, proposal.Title, proposal.Cost, proposal.Status, proposal.Score, proposal.AdjustedCost).EffectiveCost);
    }

    [Fact]
    public void A_verdict_on_an_outdated_version_is_ignored()
    {
        var proposal = Submit();
        proposal.Revise(Process, Agent, Agent.AgentId, false, NewRoute, replace: false);

        Assert.False(proposal.Record(Verdict(proposal, AssessmentRecommendation.Viable, version: 1)));
        Assert.Equal((2, ProposalStatus.Submitted), (proposal.Version, proposal.Status));

        Assert.True(proposal.Record(Verdict(proposal, AssessmentRecommendation.NotViable, version: 2)));
        Assert.Equal(ProposalStatus.NotViable, proposal.Status);
        // Assessed once per version: a second verdict on it changes nothing.
        Assert.False(proposal.Record(Verdict(proposal, AssessmentRecommendation.Viable, version: 2)));
        Assert.Equal(ProposalStatus.NotViable, proposal.Status);
    }

    [Fact]
    public void An_assessment_without_a_recommendation_is_read_from_viable_and_as_version_1()
    {
        var old = new AssessmentCompleted
        {
            ProcessId = Process.Id, Jurisdiction = Process.Jurisdiction, AssessmentId = Guid.CreateVersion7(), ProposalId = Guid.CreateVersion7(), Viable = false, Score = 0m,
            Reasons = "Sin brecha",
        };

        var outcome = AssessmentOutcome.From(old);

        Assert.Equal((AssessmentRecommendation.NotViable, 1, (decimal?)null), (outcome.Recommendation, outcome.Version, outcome.AdjustedCost));
        Assert.Equal(AssessmentRecommendation.Viable, AssessmentOutcome.From(old with { Viable = true, Score = 60m }).Recommendation);
        Assert.Throws<InvalidOperationException>(() => AssessmentOutcome.From(old with { Viable = true, Recommendation = AssessmentRecommendation.ViableAtAdjustedCost }));
        Assert.Throws<InvalidOperationException>(() => AssessmentOutcome.From(old with { AdjustedCost = 10m }));
    }

    [Fact]
    public void The_vote_and_the_list_take_viable_proposals_at_their_effective_cost_and_never_a_withdrawn_or_observed_one()
    {
        var process = Process with { Rules = new ProcessRules(2, false, BallotFormat.Approval, "greedy", 5, 6, 5, []) };
        AssessedProposal[] proposals =
        [
            new(Guid.CreateVersion7(), "Agua potable", 300_000m, ProposalStatus.Viable, 80m),
            new(Guid.CreateVersion7(), "Aulas", 150_000m, ProposalStatus.Viable, 70m, AdjustedCost: 250_000m),
            new(Guid.CreateVersion7(), "Losa", 50_000m, ProposalStatus.Withdrawn, null),
            new(Guid.CreateVersion7(), "Quiosco", 40_000m, ProposalStatus.Observed, 0m),
        ];

        var round = VotingRound.Open(process, null, proposals, null, null, null, Now);
        var (list, _) = PrioritizedList.Prioritize(process, proposals, Now);

        Assert.Equal([(proposals[0].Id, 300_000m), (proposals[1].Id, 250_000m)], round.Projects.Select(p => (p.ProposalId, p.Cost)));
        // At 250,000 the classrooms no longer fit beside the water project in 500,000; at 150,000 they would have.
        Assert.Equal([(proposals[0].Id, 300_000m)], list.Items.Select(i => (i.ProposalId, i.Cost)));
    }
}
