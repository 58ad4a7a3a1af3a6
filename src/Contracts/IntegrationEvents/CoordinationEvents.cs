namespace PBServices.Contracts.IntegrationEvents;

public sealed record ListFormalized : IntegrationEvent
{
    public required Guid ListId { get; init; }
    public required GovernmentLevel Level { get; init; }
    public required int FiscalYear { get; init; }
    public required decimal BudgetCeiling { get; init; }
    public required string ActaReference { get; init; }
    public required DateTimeOffset ApprovedAt { get; init; }
    public required IReadOnlyList<ListedProject> Projects { get; init; }
}
