using PBServices.Allocation.Pabulib;
using PBServices.Allocation.Rules;

namespace PBServices.Allocation;

/// <summary>Computes the outcome of an election under one rule, with an explanation for every project.</summary>
public static class Allocator
{
    public static AllocationOutcome Allocate(PbElection election, AllocationRule rule) =>
        Allocate(election, rule, Tally.Count(election));

    public static AllocationOutcome Allocate(PbElection election, AllocationRule rule, ElectionTally tally)
    {
        ArgumentNullException.ThrowIfNull(election);
        ArgumentNullException.ThrowIfNull(tally);
        switch (rule)
        {
            case AllocationRule.Greedy or AllocationRule.GreedyNoSkip:
                var items = election.Projects
                    .Select((p, i) => new GreedyRule.Item(p.Id, p.Cost, tally.Scores[i], tally.Supporters[i]))
                    .ToList();
                return GreedyOutcome(items, election.Budget, rule);
            case AllocationRule.EqualShares or AllocationRule.EqualSharesAdd1:
                if (election.VoteType == VoteType.Ordinal)
                {
                    throw new NotSupportedException(
                        "Equal shares needs additive utilities (approval, choose-1 or cumulative ballots); ranked ballots have none.");
                }
                return new EqualSharesRule(election, tally).Outcome(completeByAddOne: rule == AllocationRule.EqualSharesAdd1);
            default:
                throw new ArgumentOutOfRangeException(nameof(rule));
        }
    }

    internal static AllocationOutcome GreedyOutcome(IReadOnlyList<GreedyRule.Item> items, decimal budget, AllocationRule rule)
    {
        var (selected, outcomes) = GreedyRule.Run(items, budget, skip: rule == AllocationRule.Greedy);
        var spent = selected.Sum(i => items[i].Cost);
        return new AllocationOutcome(rule, budget, selected.Select(i => items[i].Id).ToList(), spent,
            OrderForReport(outcomes, selected, GreedyRule.RankOrder(items)));
    }

    /// <summary>Funded projects in selection order, then the others by rank.</summary>
    internal static IReadOnlyList<ProjectOutcome> OrderForReport(ProjectOutcome[] outcomes, List<int> selected, int[] rank)
    {
        var chosen = new HashSet<int>(selected);
        return selected.Select(i => outcomes[i]).Concat(rank.Where(i => !chosen.Contains(i)).Select(i => outcomes[i])).ToList();
    }
}
