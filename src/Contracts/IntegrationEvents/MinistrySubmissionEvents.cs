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
