namespace PBServices.Allocation;

public enum AllocationRule
{
    /// <summary>Fund in order of score, skipping projects that no longer fit.</summary>
    Greedy,
    /// <summary>Fund in order of score, stopping at the first project that does not fit.</summary>
    GreedyNoSkip,
    /// <summary>Method of Equal Shares as defined on equalshares.net, without completion.</summary>
    EqualShares,
    /// <summary>Equal shares completed by raising every voter's share one currency unit at a time.</summary>
    EqualSharesAdd1,
}

public static class AllocationRules
{
    public static string Name(this AllocationRule rule) => rule switch
    {
        AllocationRule.Greedy => "greedy",
        AllocationRule.GreedyNoSkip => "greedy-no-skip",
        AllocationRule.EqualShares => "mes",
        AllocationRule.EqualSharesAdd1 => "mes-add1",
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };

    // Listed rather than Enum.GetValues, which a native build answers slowly at start-up.
    private static readonly AllocationRule[] All =
        [AllocationRule.Greedy, AllocationRule.GreedyNoSkip, AllocationRule.EqualShares, AllocationRule.EqualSharesAdd1];

    public static bool TryParse(string name, out AllocationRule rule)
    {
        foreach (var r in All)
        {
            if (r.Name() == name)
            {
                rule = r;
                return true;
            }
        }
        rule = default;
        return false;
    }
}
