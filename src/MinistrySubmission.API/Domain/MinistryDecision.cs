using System.Globalization;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Grpc.Intake;

namespace PBServices.MinistrySubmission.Domain;

/// <summary>A submission this deployment delivered, as a streamed decision is checked against it.</summary>
public sealed record DecidedSubmission(Guid SubmissionId, Guid ProcessId, string Jurisdiction, IReadOnlySet<Guid> ProposalIds);

/// <summary>The Ministry's decision on one project of a submission, as the national intake streamed it back.</summary>
public sealed record MinistryDecision(long Sequence, Guid DecisionId, Guid SubmissionId, Guid ProcessId, string Jurisdiction, Guid ProposalId, bool Approved,
    decimal ApprovedAmount, string Reason, DateTimeOffset DecidedAt)
{
    public string Decision => Approved ? "Approved" : "Rejected";

    /// <summary>The intake's submission id, read before the submission it names is looked up.</summary>
    public static Guid? SubmissionIdOf(ProjectDecision d) => Guid.TryParse(d.SubmissionId, out var id) ? id : null;

    /// <summary>
    /// What this deployment keeps of a streamed decision: only one on a project of a submission it delivered, for that
    /// submission's process and jurisdiction. Anything else (another deployment's, or malformed) is null, with why.
    /// </summary>
    public static (MinistryDecision? Decision, string? Ignored) Accept(ProjectDecision d, DecidedSubmission? submission)
    {
        if (submission is null)
        {
            return (null, $"submission {d.SubmissionId} is not one of this deployment's");
        }
        if (!Guid.TryParse(d.DecisionId, out var decisionId) || !Guid.TryParse(d.ProposalId, out var proposalId))
        {
            return (null, "decision_id and proposal_id must be UUIDs");
        }
        if (d.ProcessId != submission.ProcessId.ToString() || d.Jurisdiction != submission.Jurisdiction)
        {
            return (null, $"the decision names process {d.ProcessId} of {d.Jurisdiction}; the submission is of process {submission.ProcessId} of {submission.Jurisdiction}");
        }
        if (!submission.ProposalIds.Contains(proposalId))
        {
            return (null, $"project {proposalId} is not in submission {submission.SubmissionId}");
        }
        if (d.Decision is not ("Approved" or "Rejected"))
        {
            return (null, $"decision '{d.Decision}' is neither Approved nor Rejected");
        }
        if (!decimal.TryParse(d.ApprovedAmount, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            return (null, $"approved_amount '{d.ApprovedAmount}' is not an amount in soles");
        }
        if (!DateTimeOffset.TryParse(d.DecidedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var decidedAt))
        {
            return (null, $"decided_at '{d.DecidedAt}' is not an ISO 8601 time");
        }
        var approved = d.Decision == "Approved";
        if (!approved && amount != 0)
        {
            return (null, "a rejected project has no approved amount");
        }
        return (new MinistryDecision(d.Sequence, decisionId, submission.SubmissionId, submission.ProcessId, submission.Jurisdiction, proposalId, approved, amount,
            d.Reason, decidedAt), null);
    }

    public ProjectDecided ToEvent() => new()
    {
        ProcessId = ProcessId, Jurisdiction = Jurisdiction, SubmissionId = SubmissionId, DecisionId = DecisionId, ProposalId = ProposalId,
        Approved = Approved, ApprovedAmount = ApprovedAmount, Reason = Reason, DecidedAt = DecidedAt,
    };
}
