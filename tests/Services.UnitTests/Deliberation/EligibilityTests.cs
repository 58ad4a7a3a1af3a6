using PBServices.Contracts;
using PBServices.Deliberation.Domain;

namespace PBServices.UnitTests.Deliberation;

public sealed class EligibilityTests
{
    private static readonly Guid ProcessId = Guid.CreateVersion7();
    private static readonly Guid AgentId = Guid.CreateVersion7();

    private static ProcessCopy Process(bool trainingRequired) => new(ProcessId, "180300", "PP Ilo 2027", 2027, GovernmentLevel.Province, 2_500_000m, Stage.Concertation,
        new ProcessRules(2, trainingRequired, BallotFormat.Approval, "mes-add1", 5, 4, 5, []));

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
}
