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
    /// <summary>The districts (ubigeo) whose residents benefit; empty in events published before proposals named them.</summary>
    public IReadOnlyList<string> Districts { get; init; } = [];
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
    /// <summary>The districts (ubigeo) whose residents benefit; empty in events published before proposals named them.</summary>
    public IReadOnlyList<string> Districts { get; init; } = [];
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

/// <summary>
/// The agents approved the prioritised list at the formalization workshop (approvals exceeded rejections): the
/// list they agreed, with its costs and the count. A vote that did not approve the list publishes nothing.
/// </summary>
public sealed record FinalListVoted : IntegrationEvent
{
    public required Guid ListId { get; init; }
    public required Guid VoteId { get; init; }
    public required GovernmentLevel Level { get; init; }
    public required int FiscalYear { get; init; }
    public required IReadOnlyList<ListedProject> Projects { get; init; }
    public required decimal TotalCost { get; init; }
    public required int Approve { get; init; }
    public required int Reject { get; init; }
    public required int Abstain { get; init; }
}
