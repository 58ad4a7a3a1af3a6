using PBServices.Allocation.Rules;

namespace PBServices.Allocation;

/// <summary>A project ranked by a score given from outside, e.g. the criteria-matrix total of a process.</summary>
public sealed record ScoredProject(string Id, decimal Cost, decimal Score);

public static class ScoredAllocation
{
    /// <summary>Greedy by score (higher first; ties by project id in ordinal string order), skipping what no longer fits the budget.</summary>
    public static IReadOnlyList<string> Greedy(decimal budget, IEnumerable<ScoredProject> projects) =>
        Explain(budget, projects, AllocationRule.Greedy).Selected;

    /// <summary>Greedy or greedy-no-skip with the per-project explanation.</summary>
    public static AllocationOutcome Explain(decimal budget, IEnumerable<ScoredProject> projects, AllocationRule rule)
    {
        ArgumentNullException.ThrowIfNull(projects);
        if (rule is not (AllocationRule.Greedy or AllocationRule.GreedyNoSkip))
        {
            throw new ArgumentException("Scores given from outside rank projects; only the greedy rules apply.", nameof(rule));
        }
        if (budget < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(budget), "The budget cannot be negative.");
        }
        var items = new List<GreedyRule.Item>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in projects)
        {
            if (p.Cost < 0)
            {
                throw new ArgumentException($"Project {p.Id} has a negative cost.", nameof(projects));
            }
            if (!ids.Add(p.Id))
            {
                throw new ArgumentException($"Project {p.Id} appears twice.", nameof(projects));
            }
            items.Add(new GreedyRule.Item(p.Id, p.Cost, p.Score, 0));
        }
        return Allocator.GreedyOutcome(items, budget, rule);
    }
}
