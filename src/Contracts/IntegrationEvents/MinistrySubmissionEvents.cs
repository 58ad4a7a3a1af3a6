namespace PBServices.Contracts.IntegrationEvents;

public sealed record SubmissionAccepted : IntegrationEvent
{
    public required Guid SubmissionId { get; init; }
    public required string ContentHash { get; init; }
    public required string IntakeReceipt { get; init; }
}

public sealed record SubmissionRejected : IntegrationEvent
{
    public required Guid SubmissionId { get; init; }
    public required string Reason { get; init; }
}

/// <summary>
/// The Ministry decided on one project of a delivered submission: approved for the budget (with the amount) or rejected
/// with its reason. Published once per decision the national intake streamed back (<see cref="DecisionId"/> is the intake's).
/// </summary>
public sealed record ProjectDecided : IntegrationEvent
{
    public required Guid SubmissionId { get; init; }
    public required Guid DecisionId { get; init; }
    public required Guid ProposalId { get; init; }
    public required bool Approved { get; init; }
    public required decimal ApprovedAmount { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset DecidedAt { get; init; }
}
