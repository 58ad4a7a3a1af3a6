namespace PBServices.Contracts.IntegrationEvents;

public sealed record ProposalSubmitted : IntegrationEvent
{
    public required Guid ProposalId { get; init; }
    public required Guid AgentId { get; init; }
    public required string Title { get; init; }
    public required string Description { get; init; }
    public required decimal Cost { get; init; }
    public required string Location { get; init; }
    public required int Beneficiaries { get; init; }
    public required string PlanObjective { get; init; }
}

/// <summary>
/// The proposer changed a proposal that waits for (or was observed by) the technical team: the whole new
/// version, which the technical team assesses in place of any earlier one.
/// </summary>
public sealed record ProposalRevised : IntegrationEvent
{
    public required Guid ProposalId { get; init; }
    public required Guid AgentId { get; init; }
    /// <summary>2 for the first revision; the version ProposalSubmitted carried is 1.</summary>
    public required int Version { get; init; }
    public required string Title { get; init; }
    public required string Description { get; init; }
    public required decimal Cost { get; init; }
    public required string Location { get; init; }
    public required int Beneficiaries { get; init; }
    public required string PlanObjective { get; init; }
}

public sealed record ListPrioritized : IntegrationEvent
{
    public required Guid ListId { get; init; }
    public required GovernmentLevel Level { get; init; }
    public required int FiscalYear { get; init; }
    public required decimal BudgetCeiling { get; init; }
    public required string Rule { get; init; }
    public required IReadOnlyList<ListedProject> Projects { get; init; }
}
