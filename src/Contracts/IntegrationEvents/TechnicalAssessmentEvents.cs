namespace PBServices.Contracts.IntegrationEvents;

public sealed record AssessmentCompleted : IntegrationEvent
{
    public required Guid AssessmentId { get; init; }
    public required Guid ProposalId { get; init; }
    public required bool Viable { get; init; }
    /// <summary>Weighted criteria-matrix total, 0–100; ranks viable proposals.</summary>
    public required decimal Score { get; init; }
    public required string Reasons { get; init; }
}
