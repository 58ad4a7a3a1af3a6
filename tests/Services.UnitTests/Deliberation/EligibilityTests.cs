using System.Text.Json;
using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Deliberation.Domain;

namespace PBServices.UnitTests.Deliberation;

public sealed class EligibilityTests
{
    private static readonly Guid ProcessId = Guid.CreateVersion7();
    private static readonly Guid AgentId = Guid.CreateVersion7();

    private static ProcessCopy Process(bool trainingRequired, bool workshopRequired = false) => new(ProcessId, "180300", "PP Ilo 2027", 2027, GovernmentLevel.Province, 2_500_000m,
        Stage.Concertation, new ProcessRules(2, trainingRequired, BallotFormat.Approval, "mes-add1", 5, 4, 5, [], PrioritisationWorkshopRequiredToVote: workshopRequired));

    [Fact]
    public void An_accredited_agent_who_attended_training_may_propose_and_vote()
    {
        var e = Eligibility.Of(Process(trainingRequired: true), AgentId, new Participant(AgentId, ProcessId, Revoked: false, Trained: true));

        Assert.Equal((true, true, true), (e.MayPropose, e.MayVote, e.Trained));
        Assert.Empty(e.Reasons);
    }

    [Fact]
    public void Where_the_rules_require_training_an_untrained_agent_may_propose_but_not_vote_and_is_told_why()
    {
        var e = Eligibility.Of(Process(trainingRequired: true), AgentId, new Participant(AgentId, ProcessId, Revoked: false, Trained: false));

        Assert.Equal((true, false), (e.MayPropose, e.MayVote));
        Assert.Equal([IneligibilityReason.TrainingNotAttended], e.Reasons);
    }

    [Fact]
    public void Where_training_is_not_required_an_untrained_agent_may_vote()
    {
        var e = Eligibility.Of(Process(trainingRequired: false), AgentId, new Participant(AgentId, ProcessId, Revoked: false, Trained: false));

        Assert.Equal((true, true, false), (e.MayPropose, e.MayVote, e.TrainingRequired));
    }

    [Fact]
    public void A_revoked_agent_may_do_neither_whatever_their_training()
    {
        var e = Eligibility.Of(Process(trainingRequired: true), AgentId, new Participant(AgentId, ProcessId, Revoked: true, Trained: true));

        Assert.Equal((false, false), (e.MayPropose, e.MayVote));
        Assert.Equal([IneligibilityReason.AccreditationRevoked], e.Reasons);
    }

    [Fact]
    public void Someone_accredited_in_another_process_or_not_at_all_is_not_accredited_here()
    {
        var elsewhere = Eligibility.Of(Process(trainingRequired: false), AgentId, new Participant(AgentId, Guid.CreateVersion7(), Revoked: false, Trained: true));
        var unknown = Eligibility.Of(Process(trainingRequired: false), AgentId, null);

        Assert.Equal([IneligibilityReason.NotAccredited], elsewhere.Reasons);
        Assert.Equal((false, false), (unknown.MayPropose, unknown.MayVote));
        Assert.Equal([IneligibilityReason.NotAccredited], unknown.Reasons);
    }

    [Fact]
    public void A_process_opened_before_rules_were_published_requires_no_training()
    {
        var legacy = new ProcessCopy(ProcessId, "180300", "PP Ilo 2026", 2026, GovernmentLevel.Province, 1_000_000m, Stage.Concertation);

        var e = Eligibility.Of(legacy, AgentId, new Participant(AgentId, ProcessId, Revoked: false, Trained: false));

        Assert.Equal((true, true, false), (e.MayPropose, e.MayVote, e.TrainingRequired));
    }

    [Fact]
    public void Where_the_rules_require_the_prioritisation_workshop_an_agent_who_missed_it_may_propose_but_not_vote_and_is_told_why()
    {
        var missed = Eligibility.Of(Process(trainingRequired: true, workshopRequired: true), AgentId, new Participant(AgentId, ProcessId, Revoked: false, Trained: true));
        var attended = Eligibility.Of(Process(trainingRequired: true, workshopRequired: true), AgentId,
            new Participant(AgentId, ProcessId, Revoked: false, Trained: true, AttendedPrioritisationWorkshop: true));

        Assert.Equal((true, false, true, false), (missed.MayPropose, missed.MayVote, missed.PrioritisationWorkshopRequired, missed.AttendedPrioritisationWorkshop));
        Assert.Equal([IneligibilityReason.PrioritisationWorkshopNotAttended], missed.Reasons);
        Assert.Equal((true, true, true), (attended.MayVote, attended.PrioritisationWorkshopRequired, attended.AttendedPrioritisationWorkshop));
        Assert.Empty(attended.Reasons);
    }

    [Fact]
    public void An_agent_missing_both_training_and_the_workshop_is_told_both()
    {
        var e = Eligibility.Of(Process(trainingRequired: true, workshopRequired: true), AgentId, new Participant(AgentId, ProcessId, Revoked: false, Trained: false));

        Assert.False(e.MayVote);
        Assert.Equal([IneligibilityReason.TrainingNotAttended, IneligibilityReason.PrioritisationWorkshopNotAttended], e.Reasons);
    }

    [Fact]
    public void Where_the_workshop_is_not_required_an_agent_who_missed_it_may_vote_and_a_revoked_one_who_attended_may_not()
    {
        var missed = Eligibility.Of(Process(trainingRequired: false), AgentId, new Participant(AgentId, ProcessId, Revoked: false, Trained: false));
        var revoked = Eligibility.Of(Process(trainingRequired: false, workshopRequired: true), AgentId,
            new Participant(AgentId, ProcessId, Revoked: true, Trained: true, AttendedPrioritisationWorkshop: true));

        Assert.Equal((true, false), (missed.MayVote, missed.PrioritisationWorkshopRequired));
        Assert.Empty(missed.Reasons);
        Assert.False(revoked.MayVote);
        Assert.Equal([IneligibilityReason.AccreditationRevoked], revoked.Reasons);
    }

    [Fact]
    public void A_ballot_from_an_agent_who_missed_the_required_prioritisation_workshop_is_refused_naming_the_reason()
    {
        var process = Process(trainingRequired: false, workshopRequired: true);
        var now = new DateTimeOffset(2026, 6, 1, 15, 0, 0, TimeSpan.Zero);
        var water = new AssessedProposal(Guid.CreateVersion7(), "Agua potable Pampa Inalámbrica", 1_200_000m, ProposalStatus.Viable, 88m);
        var round = VotingRound.Open(process, null, [water], null, null, null, now);
        var voter = Eligibility.Of(process, AgentId, new Participant(AgentId, ProcessId, Revoked: false, Trained: false));

        var refused = Assert.Throws<ForbiddenException>(() => round.Cast(process, null, voter, new BallotChoice([water.Id], []), now));

        Assert.Contains("PrioritisationWorkshopNotAttended", refused.Message);
        var after = Eligibility.Of(process, AgentId, new Participant(AgentId, ProcessId, Revoked: false, Trained: false, AttendedPrioritisationWorkshop: true));
        Assert.Equal([water.Id], round.Cast(process, null, after, new BallotChoice([water.Id], []), now).Choice.Projects);
    }

    [Fact]
    public void Rules_published_before_the_workshop_rule_existed_read_as_not_requiring_it()
    {
        const string earlier = """
            {"agentsPerOrganisation":2,"trainingRequiredToVote":true,"ballotFormat":"Approval","allocationRule":"mes-add1","oversightCommitteeSize":5,
             "delegateSeats":4,"directiveCommitteeSeats":5,"quotas":[]}
            """;

        var rules = JsonSerializer.Deserialize<ProcessRules>(earlier, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

        Assert.Equal((true, false), (rules.TrainingRequiredToVote, rules.PrioritisationWorkshopRequiredToVote));
    }
}
