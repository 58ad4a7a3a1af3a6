namespace PBServices.Allocation.Rules;

/// <summary>
/// Greedy by score. Money is decimal and sums of decimals are exact at these magnitudes, so the
/// fit test never suffers rounding.
/// </summary>
internal static class GreedyRule
{
    public readonly record struct Item(string Id, decimal Cost, decimal Score, int Supporters);

    /// <summary>Higher score first, then project id in ordinal order (pabutools' lexicographic tie-breaking).</summary>
    public static int[] RankOrder(IReadOnlyList<Item> items)
    {
        var order = Enumerable.Range(0, items.Count).ToArray();
        Array.Sort(order, (a, b) =>
        {
            var byScore = items[b].Score.CompareTo(items[a].Score);
            return byScore != 0 ? byScore : string.CompareOrdinal(items[a].Id, items[b].Id);
        });
        return order;
    }

    public static (List<int> Selected, ProjectOutcome[] Outcomes) Run(IReadOnlyList<Item> items, decimal budget, bool skip)
    {
        var outcomes = new ProjectOutcome[items.Count];
        var selected = new List<int>();
        var remaining = budget;
        string? lastFunded = null;
        string? stoppedAt = null;
        foreach (var i in RankOrder(items))
        {
            var p = items[i];
            if (stoppedAt is not null)
            {
                outcomes[i] = Outcome(p, ProjectVerdict.NotReached, null, stoppedAt, remaining,
                    $"not considered: the count stopped at project {stoppedAt}, which did not fit");
            }
            else if (p.Cost <= remaining)
            {
                remaining -= p.Cost;
                selected.Add(i);
                lastFunded = p.Id;
                outcomes[i] = Outcome(p, ProjectVerdict.Funded, selected.Count, null, remaining + p.Cost,
                    $"funded in position {selected.Count}");
            }
            else
            {
                outcomes[i] = Outcome(p, ProjectVerdict.DidNotFit, null, lastFunded, remaining,
                    lastFunded is null
                        ? $"costs {p.Cost}, more than the whole budget {remaining}"
                        : $"did not fit after project {lastFunded}: {remaining} left, costs {p.Cost}");
                if (!skip)
                {
                    stoppedAt = p.Id;
                }
            }
        }
        return (selected, outcomes);
    }

    private static ProjectOutcome Outcome(Item p, ProjectVerdict verdict, int? round, string? after, decimal available, string reason) =>
        new(p.Id, p.Cost, p.Score, p.Supporters, verdict, round, null, null, after, available, reason);
}
