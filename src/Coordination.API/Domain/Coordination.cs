using System.Text.Json.Serialization;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Processes;
using PBServices.Contracts;

namespace PBServices.Coordination.Domain;

[JsonConverter(typeof(JsonStringEnumConverter<ItemStatus>))]
public enum ItemStatus
{
    Included,
    /// <summary>Taken off the list by an authority's decision, with its reason.</summary>
    Dropped,
    /// <summary>Sent up to the level above, whose list may include it.</summary>
    Escalated,
    /// <summary>A duplicate merged into another project.</summary>
    Merged,
}

/// <summary>The kinds of authority decision that change the list the agents agreed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DecisionKind>))]
public enum DecisionKind
{
    Drop,
    Reorder,
    Alter,
    Escalate,
    /// <summary>A level includes a project escalated from a list below it.</summary>
    Include,
    Merge,
}

[JsonConverter(typeof(JsonStringEnumConverter<PartyKind>))]
public enum PartyKind
{
    /// <summary>A government, paying from the ceiling of its own process.</summary>
    Government,
    /// <summary>The residents themselves (in Ilo about 30% of public works, often in labour or materials).</summary>
    Community,
    Organisation,
    Company,
}

[JsonConverter(typeof(JsonStringEnumConverter<Contribution>))]
public enum Contribution
{
    Money,
    /// <summary>Valued in soles.</summary>
    Materials,
    /// <summary>Valued in soles.</summary>
    Labour,
}

/// <summary>One project of a coordinated list: where the agents put it, and what the authorities' decisions made of it.</summary>
public sealed record CoordinationItem(Guid ProposalId, Guid OriginListId, string Title, decimal Cost, decimal Score, int? AgreedRank, int? Rank, ItemStatus Status, Guid? MergedInto);

/// <summary>A party's share of a co-financed project: a government names the process whose ceiling pays it.</summary>
public sealed record CofinancingShare(PartyKind PartyKind, string Party, Guid? ProcessId, Contribution Contribution, decimal Amount, string? Commitment);

public sealed record CofinancingAgreement(Guid Id, Guid ListId, Guid ProposalId, decimal Total, IReadOnlyList<CofinancingShare> Shares, string AgreedBy, DateTimeOffset AgreedAt);

/// <summary>An authority's decision on a list, published beside the results: the Ilo study's criticism is that such overrides went unseen.</summary>
public sealed record Decision(Guid Id, Guid ListId, Guid? ProposalId, DecisionKind Kind, IReadOnlyDictionary<string, object?> Details, string Reason, string Author, string Role, DateTimeOffset DecidedAt);

/// <summary>What deliberation published of a proposal, the level the technical team found it a matter of, and its latest assessment.</summary>
public sealed record ProposalCopy(Guid ProposalId, Guid ProcessId, string Jurisdiction, string Title, decimal Cost, string Location, int Beneficiaries, string PlanObjective,
    IReadOnlyList<string> Districts, GovernmentLevel? Competence, Contracts.Submissions.ProjectAssessment? Assessment = null);

/// <summary>
/// What a level counts as of wider impact, for its own list and the lists below it: any one rule met marks the
/// project, with the rules it met as the reasons. A marked project can be escalated or co-financed; nothing moves by itself.
/// </summary>
public sealed record ImpactRules(decimal? CostThreshold, bool MultiDistrict, IReadOnlyList<string> PlanObjectives)
{
    public static ImpactRules Validate(decimal? costThreshold, bool multiDistrict, IReadOnlyList<string>? objectives)
    {
        if (costThreshold is { } t)
        {
            Guard.Soles("costThreshold", t);
        }
        var named = (objectives ?? []).Select((o, i) => Guard.Text($"planObjectives[{i}]", o, 300)).ToList();
        if (named.Count > 50)
        {
            throw new DomainException("planObjectives", "At most 50 plan objectives");
        }
        if (named.Distinct(StringComparer.OrdinalIgnoreCase).Count() != named.Count)
        {
            throw new DomainException("planObjectives", "Each plan objective once");
        }
        if (costThreshold is null && !multiDistrict && named.Count == 0)
        {
            throw new DomainException("costThreshold", "Set at least one rule: a cost threshold, beneficiaries in more than one district, or plan objectives");
        }
        return new ImpactRules(costThreshold, multiDistrict, named);
    }

    /// <summary>The rules a project meets, as the sentences the coordination council reads.</summary>
    public IReadOnlyList<string> Classify(CoordinationItem item, ProposalCopy? proposal, GovernmentLevel listLevel)
    {
        var reasons = new List<string>();
        if (CostThreshold is { } t && item.Cost > t)
        {
            reasons.Add($"Costs S/ {item.Cost:N2}, above the threshold of S/ {t:N2}");
        }
        if (MultiDistrict && proposal is { Districts.Count: > 1 })
        {
            reasons.Add($"Benefits {proposal.Districts.Count} districts: {string.Join(", ", proposal.Districts)}");
        }
        if (proposal is not null && PlanObjectives.FirstOrDefault(o => string.Equals(o.Trim(), proposal.PlanObjective.Trim(), StringComparison.OrdinalIgnoreCase)) is { } objective)
        {
            reasons.Add($"Serves the plan objective «{objective}»");
        }
        if (proposal?.Competence is { } level && level > listLevel)
        {
            reasons.Add($"The technical team found it a {level} matter");
        }
        return reasons;
    }
}

/// <summary>
/// The rules of coordination between levels, over the lists involved. Every decision that changes the agents'
/// list needs a reason; coordination happens in the Coordination stage of the process whose list changes.
/// </summary>
public static class CoordinationRules
{
    public static string Reason(string? reason) => Guard.Text("reason", reason, 2000);

    public static void RequireOpen(CoordinatedList list, ProcessStage process, string action)
    {
        StageRule.Require(process.Stage, action, Stage.Coordination);
        if (list.Status != ListStatus.Received)
        {
            throw new ConflictException("processId", $"Coordination of this list is closed ({list.Status}); it changes only by an audited correction");
        }
    }

    public static CoordinationItem Included(IReadOnlyList<CoordinationItem> items, Guid proposalId, string field = "proposalId")
    {
        var item = items.FirstOrDefault(i => i.ProposalId == proposalId) ?? throw new DomainException(field, $"Project {proposalId} is not on this list");
        return item.Status == ItemStatus.Included ? item : throw new ConflictException(field, $"Project «{item.Title}» is {item.Status}, not on the list any more");
    }

    /// <summary>The included items renumbered 1..n in their order, with <paramref name="moved"/> at <paramref name="rank"/> when given.</summary>
    public static IReadOnlyList<CoordinationItem> Renumber(IEnumerable<CoordinationItem> items, Guid? moved = null, int? rank = null)
    {
        var all = items.ToList();
        var included = all.Where(i => i.Status == ItemStatus.Included && i.ProposalId != moved).OrderBy(i => i.Rank).ToList();
        if (moved is { } id && all.FirstOrDefault(i => i.ProposalId == id) is { Status: ItemStatus.Included } m)
        {
            var at = Math.Clamp((rank ?? int.MaxValue) - 1, 0, included.Count);
            included.Insert(at, m);
        }
        var ranks = included.Select((item, i) => (item.ProposalId, Rank: i + 1)).ToDictionary(x => x.ProposalId, x => x.Rank);
        return all.Select(i => ranks.TryGetValue(i.ProposalId, out var r) ? i with { Rank = r } : i with { Rank = null }).ToList();
    }

    public static int ValidRank(int rank, int included)
    {
        if (rank < 1 || rank > included)
        {
            throw new DomainException("rank", $"A rank from 1 to {included}, the projects on the list");
        }
        return rank;
    }

    /// <summary>
    /// The shares of a co-financing agreement: each party named once, amounts in soles, a government paying money
    /// from a named process, and the whole adding up to the project's cost.
    /// </summary>
    public static IReadOnlyList<CofinancingShare> Shares(IReadOnlyList<CofinancingShare>? shares, decimal cost)
    {
        if (shares is not { Count: > 0 })
        {
            throw new DomainException("shares", "Name at least one party and its share");
        }
        if (shares.Count > 20)
        {
            throw new DomainException("shares", "At most 20 parties");
        }
        var checkedShares = new List<CofinancingShare>();
        for (var i = 0; i < shares.Count; i++)
        {
            var s = shares[i];
            var party = Guard.Text($"shares[{i}].party", s.Party, 200);
            Guard.Soles($"shares[{i}].amount", s.Amount);
            var commitment = s.Commitment is null ? null : Guard.Text($"shares[{i}].commitment", s.Commitment, 1000);
            if (s.PartyKind == PartyKind.Government)
            {
                if (s.ProcessId is null)
                {
                    throw new DomainException($"shares[{i}].processId", "A government pays from the ceiling of its own process: name it");
                }
                if (s.Contribution != Contribution.Money)
                {
                    throw new DomainException($"shares[{i}].contribution", "A government contributes money from its budget");
                }
            }
            else if (s.ProcessId is not null)
            {
                throw new DomainException($"shares[{i}].processId", $"Only a government names a process; a {s.PartyKind} does not pay from a ceiling");
            }
            if (checkedShares.Any(c => string.Equals(c.Party, party, StringComparison.OrdinalIgnoreCase) || c.ProcessId is not null && c.ProcessId == s.ProcessId))
            {
                throw new DomainException($"shares[{i}].party", $"{party} is named twice: one share per party");
            }
            checkedShares.Add(s with { Party = party, Commitment = commitment });
        }
        var total = checkedShares.Sum(s => s.Amount);
        if (total != cost)
        {
            throw new DomainException("shares", $"The shares add up to S/ {total:N2}; the project costs S/ {cost:N2}");
        }
        return checkedShares;
    }
}
