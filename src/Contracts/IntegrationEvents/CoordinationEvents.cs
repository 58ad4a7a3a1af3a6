namespace PBServices.Contracts.IntegrationEvents;

public sealed record FormalizedProject
{
    public required Guid ProposalId { get; init; }
    public required string Title { get; init; }
    public required decimal Cost { get; init; }
    public required int Rank { get; init; }
}

public sealed record ListFormalized : IntegrationEvent
{
    public required Guid ListId { get; init; }
    public required string Level { get; init; }
    public required int FiscalYear { get; init; }
    public required decimal BudgetCeiling { get; init; }
    public required string ActaReference { get; init; }
    public required DateTimeOffset ApprovedAt { get; init; }
    public required IReadOnlyList<FormalizedProject> Projects { get; init; }
}
