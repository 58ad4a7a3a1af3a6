namespace PBServices.Contracts.IntegrationEvents;

/// <summary>
/// The oversight committee recorded a finding on the execution of its process's agreements, or asked the government
/// for information; the government answers by <see cref="AnswerDue"/>, which the process's oversight settings set.
/// </summary>
public sealed record FindingRaised : IntegrationEvent
{
    public required Guid FindingId { get; init; }
    public required int FiscalYear { get; init; }
    /// <summary>The agreed project it is about; null for a finding on the process as a whole.</summary>
    public Guid? ProposalId { get; init; }
    public required FindingKind Kind { get; init; }
    public required string Text { get; init; }
    public required DateTimeOffset RaisedAt { get; init; }
    public required DateTimeOffset AnswerDue { get; init; }
}

/// <summary>
/// The committee escalated a finding to the council. It travels, as part of the oversight report, with the
/// jurisdiction's next submission to the Ministry (a later fiscal year than <see cref="FiscalYear"/>), with every
/// answer the government gave.
/// </summary>
public sealed record FindingEscalated : IntegrationEvent
{
    public required Guid FindingId { get; init; }
    /// <summary>The fiscal year of the process whose execution the finding is about.</summary>
    public required int FiscalYear { get; init; }
    public Guid? ProposalId { get; init; }
    /// <summary>The project's title as agreed; null with <see cref="ProposalId"/>.</summary>
    public string? ProjectTitle { get; init; }
    public required FindingKind Kind { get; init; }
    public required string Text { get; init; }
    public required DateTimeOffset RaisedAt { get; init; }
    public required DateTimeOffset AnswerDue { get; init; }
    public required IReadOnlyList<FindingAnswer> Answers { get; init; }
    public required string EscalationReason { get; init; }
    public required DateTimeOffset EscalatedAt { get; init; }
}

/// <summary>A finding of the committee, or its request for information.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<FindingKind>))]
public enum FindingKind
{
    Finding,
    InformationRequest,
}

/// <summary>The government's answer to a finding, as it was given.</summary>
public sealed record FindingAnswer(string Text, DateTimeOffset AnsweredAt);
