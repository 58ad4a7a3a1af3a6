namespace PBServices.Allocation;

public enum ProjectVerdict
{
    Funded,
    /// <summary>Greedy: the budget left after the projects ranked above it was smaller than its cost.</summary>
    DidNotFit,
    /// <summary>Greedy without skipping: the count stopped at an earlier project that did not fit.</summary>
    NotReached,
    /// <summary>Equal shares: its supporters' remaining money could not pay for it.</summary>
    Unaffordable,
    /// <summary>No ballot supports it, so equal shares has nobody to pay for it.</summary>
    NoSupport,
}

/// <summary>Why one project was or was not funded.</summary>
/// <param name="Round">Selection round (1-based) when funded; for equal shares, also the round in which it was found unaffordable.</param>
/// <param name="PricePerUtility">Equal shares: exact price each supporter paid per unit of utility, as a fraction.</param>
/// <param name="PayingSupporters">Equal shares: supporters who paid something towards it.</param>
/// <param name="After">Greedy: the last project funded before it did not fit; no-skip: the project at which the count stopped.</param>
/// <param name="Available">Greedy: budget left when it was considered; equal shares: what its supporters had left when refused.</param>
public sealed record ProjectOutcome(
    string Id,
    decimal Cost,
    decimal Score,
    int Supporters,
    ProjectVerdict Verdict,
    int? Round,
    string? PricePerUtility,
    int? PayingSupporters,
    string? After,
    decimal? Available,
    string Reason);

/// <param name="Selected">Project ids in selection order.</param>
/// <param name="Projects">Every project: funded ones in selection order, then the rest by score.</param>
/// <param name="VoterShare">Equal shares: each voter's starting share of the budget, exact (after completion, the share that produced the outcome).</param>
public sealed record AllocationOutcome(
    AllocationRule Rule,
    decimal Budget,
    IReadOnlyList<string> Selected,
    decimal Spent,
    IReadOnlyList<ProjectOutcome> Projects,
    string? VoterShare = null);
