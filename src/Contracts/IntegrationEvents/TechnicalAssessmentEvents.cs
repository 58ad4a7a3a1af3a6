using System.Text.Json.Serialization;

namespace PBServices.Contracts.IntegrationEvents;

/// <summary>The technical team's verdict on one version of a proposal.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AssessmentRecommendation>))]
public enum AssessmentRecommendation
{
    Viable,
    /// <summary>Viable, but at the cost the technical team adjusted it to: the cost prioritisation uses.</summary>
    ViableAtAdjustedCost,
    /// <summary>Back to the proposer with the reasons, to revise.</summary>
    Observed,
    NotViable,
}

public sealed record AssessmentCompleted : IntegrationEvent
{
    public required Guid AssessmentId { get; init; }
    public required Guid ProposalId { get; init; }
    /// <summary>True for both viable recommendations.</summary>
    public required bool Viable { get; init; }
    /// <summary>Weighted criteria-matrix total, 0–100; ranks viable proposals.</summary>
    public required decimal Score { get; init; }
    public required string Reasons { get; init; }
    /// <summary>Null only in events published before recommendations had four kinds: then <see cref="Viable"/> decides.</summary>
    public AssessmentRecommendation? Recommendation { get; init; }
    /// <summary>The cost the technical team found right; set exactly when the recommendation is <see cref="AssessmentRecommendation.ViableAtAdjustedCost"/>.</summary>
    public decimal? AdjustedCost { get; init; }
    /// <summary>The version of the proposal assessed (<see cref="ProposalRevised.Version"/>); 1 in older events.</summary>
    public int Version { get; init; } = 1;
    /// <summary>The level of government whose competence the matter is, by the technical team's checklist; null without a checklist and in older events.</summary>
    public GovernmentLevel? Competence { get; init; }
    /// <summary>What the proposal duplicates, by the checklist: another proposal's id or an existing project's code (CUI); null when it duplicates nothing.</summary>
    public string? DuplicateOf { get; init; }

    /// <summary>The recommendation, derived from <see cref="Viable"/> for events that predate it.</summary>
    public AssessmentRecommendation RecommendationOrDerived() =>
        Recommendation ?? (Viable ? AssessmentRecommendation.Viable : AssessmentRecommendation.NotViable);
}
