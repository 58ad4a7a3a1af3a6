using PBServices.Grpc.Intake;
using PBServices.MinistrySubmission.Domain;

namespace PBServices.UnitTests.MinistrySubmission;

public sealed class MinistryDecisionTests
{
    private static readonly Guid Water = Guid.CreateVersion7();
    private static readonly Guid School = Guid.CreateVersion7();
    private static readonly DecidedSubmission Ours = new(Guid.CreateVersion7(), Guid.CreateVersion7(), "150122", new HashSet<Guid> { Water, School });

    private static ProjectDecision Streamed(Guid proposal, string decision = "Approved", string amount = "300000.50", string reason = "") => new()
    {
        Sequence = 41, DecisionId = Guid.CreateVersion7().ToString(), SubmissionId = Ours.SubmissionId.ToString(), ProcessId = Ours.ProcessId.ToString(),
        Jurisdiction = "150122", ProposalId = proposal.ToString(), Decision = decision, ApprovedAmount = amount, Reason = reason,
        DecidedAt = "2025-10-02T15:04:05.123Z",
    };

    [Fact]
    public void An_approval_becomes_ProjectDecided_with_the_amount_the_budget_includes()
    {
        var streamed = Streamed(Water);

        var (decision, ignored) = MinistryDecision.Accept(streamed, Ours);
        var e = decision!.ToEvent();

        Assert.Null(ignored);
        Assert.Equal((true, 300_000.50m, Water, Ours.SubmissionId, Guid.Parse(streamed.DecisionId)), (e.Approved, e.ApprovedAmount, e.ProposalId, e.SubmissionId, e.DecisionId));
        Assert.Equal((Ours.ProcessId, "150122"), (e.ProcessId, e.Jurisdiction));
        Assert.Equal(new DateTimeOffset(2025, 10, 2, 15, 4, 5, 123, TimeSpan.Zero), e.DecidedAt);
        Assert.Equal(41, decision.Sequence);
    }

    [Fact]
    public void A_rejection_keeps_the_Ministry_s_reason_and_approves_nothing()
    {
        var (decision, _) = MinistryDecision.Accept(Streamed(School, "Rejected", "0.00", "Sin expediente técnico"), Ours);

        Assert.Equal(("Rejected", 0m, "Sin expediente técnico"), (decision!.Decision, decision.ApprovedAmount, decision.Reason));
        Assert.False(decision.ToEvent().Approved);
    }

    [Fact]
    public void A_decision_on_a_submission_this_deployment_does_not_have_is_skipped()
    {
        var (decision, ignored) = MinistryDecision.Accept(Streamed(Water), null);

        Assert.Null(decision);
        Assert.Contains("not one of this deployment's", ignored, StringComparison.Ordinal);
    }

    [Fact]
    public void A_decision_that_does_not_fit_the_submission_it_names_is_skipped_with_the_reason()
    {
        var otherProcess = Streamed(Water);
        otherProcess.ProcessId = Guid.CreateVersion7().ToString();
        Assert.Contains("the submission is of process", MinistryDecision.Accept(otherProcess, Ours).Ignored, StringComparison.Ordinal);
        Assert.Contains("is not in submission", MinistryDecision.Accept(Streamed(Guid.CreateVersion7()), Ours).Ignored, StringComparison.Ordinal);
        Assert.Contains("neither Approved nor Rejected", MinistryDecision.Accept(Streamed(Water, "Maybe"), Ours).Ignored, StringComparison.Ordinal);
        Assert.Contains("no approved amount", MinistryDecision.Accept(Streamed(Water, "Rejected", "10.00", "Duplicado"), Ours).Ignored, StringComparison.Ordinal);
        Assert.Contains("approved_amount", MinistryDecision.Accept(Streamed(Water, amount: "S/ 10"), Ours).Ignored, StringComparison.Ordinal);
    }
}
