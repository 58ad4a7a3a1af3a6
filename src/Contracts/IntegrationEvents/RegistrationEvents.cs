namespace PBServices.Contracts.IntegrationEvents;

public sealed record ProcessOpened : IntegrationEvent
{
    public required string Name { get; init; }
    public required int FiscalYear { get; init; }
    public required GovernmentLevel Level { get; init; }
    public required decimal BudgetCeiling { get; init; }
    public required Stage Stage { get; init; }
    /// <summary>Null only in events published before processes had calendars.</summary>
    public ProcessCalendar? Calendar { get; init; }
    /// <summary>The rules deliberation follows (ballot format, allocation rule, training required to vote); null only in older events.</summary>
    public ProcessRules? Rules { get; init; }
}

public sealed record StageAdvanced : IntegrationEvent
{
    public required Stage FromStage { get; init; }
    public required Stage ToStage { get; init; }
}

public sealed record AgentAccredited : IntegrationEvent
{
    public required Guid AgentId { get; init; }
    public required string FullName { get; init; }
    public required string Organisation { get; init; }
    /// <summary>The quota groups the agent counts for in the process's fiscal year; empty in events published before quotas travelled.</summary>
    public IReadOnlyList<QuotaGroup> Groups { get; init; } = [];
    /// <summary>The ubigeo of the territory of the agent's organisation; null in older events, or for an agent registered without one.</summary>
    public string? Territory { get; init; }
}

public sealed record AgentAccreditationRevoked : IntegrationEvent
{
    public required Guid AgentId { get; init; }
    public required string Reason { get; init; }
}

/// <summary>An accredited agent attended a training session; a process may require it to vote.</summary>
public sealed record TrainingAttended : IntegrationEvent
{
    public required Guid AgentId { get; init; }
    public required Guid SessionId { get; init; }
    public required DateOnly Date { get; init; }
}
