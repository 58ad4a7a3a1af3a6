using System.Numerics;
using PBServices.Allocation.Pabulib;

namespace PBServices.Allocation.Tests;

/// <summary>
/// A deliberately plain second implementation of equal shares (one budget per voter, the
/// poor/rich fixed point of pabutools' naive_mes, its own fractions) to check the fast engine
/// against on generated elections.
/// </summary>
internal static class NaiveEqualShares
{
    private readonly record struct Frac(BigInteger N, BigInteger D)
    {
        public static Frac Of(BigInteger n, BigInteger d)
        {
            var g = BigInteger.GreatestCommonDivisor(n, d);
            if (g.IsZero) return new Frac(0, 1);
            if (d.Sign < 0) g = -g;
            return new Frac(n / g, d / g);
        }
        public static Frac operator +(Frac a, Frac b) => Of(a.N * b.D + b.N * a.D, a.D * b.D);
        public static Frac operator -(Frac a, Frac b) => Of(a.N * b.D - b.N * a.D, a.D * b.D);
        public static Frac operator *(Frac a, BigInteger k) => Of(a.N * k, a.D);
        public static bool operator <(Frac a, Frac b) => a.N * b.D < b.N * a.D;
        public static bool operator >(Frac a, Frac b) => a.N * b.D > b.N * a.D;
        public static Frac Min(Frac a, Frac b) => a < b ? a : b;
    }

    public static List<string> Run(PbElection e, bool addOne)
    {
        // Integer costs only: the generated and hand-made elections used here have them.
        var n = e.Ballots.Count;
        var m = e.Projects.Count;
        var cost = e.Projects.Select(p => new BigInteger(p.Cost)).ToArray();
        var budget = new BigInteger(e.Budget);
        var util = new Dictionary<(int Voter, int Project), BigInteger>();
        for (var v = 0; v < n; v++)
        {
            var items = e.Ballots.Projects(v);
            var points = e.Ballots.Points(v);
            for (var k = 0; k < items.Length; k++)
            {
                BigInteger u = e.VoteType == VoteType.Cumulative ? points[k] : cost[items[k]];
                if (u > 0) util[(v, items[k])] = u;
            }
        }
        var supporters = Enumerable.Range(0, m).Select(p => util.Keys.Where(k => k.Project == p).Select(k => k.Voter).ToList()).ToArray();

        List<int> Once(Frac share)
        {
            var money = Enumerable.Repeat(share, n).ToArray();
            var chosen = Enumerable.Range(0, m).Where(p => supporters[p].Count > 0 && cost[p].IsZero)
                .OrderBy(p => e.Projects[p].Id, StringComparer.Ordinal).ToList();
            var remaining = Enumerable.Range(0, m).Where(p => supporters[p].Count > 0 && !cost[p].IsZero).ToList();
            while (true)
            {
                Frac? best = null;
                var bestProject = -1;
                foreach (var p in remaining.ToList())
                {
                    var total = supporters[p].Aggregate(new Frac(0, 1), (s, v) => s + money[v]);
                    if (total < new Frac(cost[p], 1))
                    {
                        remaining.Remove(p);
                        continue;
                    }
                    var rich = new HashSet<int>(supporters[p]);
                    var poorMoney = new Frac(0, 1);
                    Frac price;
                    while (true)
                    {
                        var utilSum = rich.Aggregate(BigInteger.Zero, (s, v) => s + util[(v, p)]);
                        price = Frac.Of((new Frac(cost[p], 1) - poorMoney).N, (new Frac(cost[p], 1) - poorMoney).D * utilSum);
                        var poor = rich.Where(v => money[v] < price * util[(v, p)]).ToList();
                        if (poor.Count == 0) break;
                        foreach (var v in poor)
                        {
                            rich.Remove(v);
                            poorMoney += money[v];
                        }
                    }
                    if (best is null || price < best.Value ||
                        (!(price > best.Value) && string.CompareOrdinal(e.Projects[p].Id, e.Projects[bestProject].Id) < 0))
                    {
                        best = price;
                        bestProject = p;
                    }
                }
                if (bestProject < 0) return chosen;
                chosen.Add(bestProject);
                remaining.Remove(bestProject);
                foreach (var v in supporters[bestProject])
                {
                    money[v] -= Frac.Min(money[v], best!.Value * util[(v, bestProject)]);
                }
            }
        }

        var share = Frac.Of(budget, n);
        var outcome = Once(share);
        while (addOne)
        {
            var spent = outcome.Aggregate(BigInteger.Zero, (s, p) => s + cost[p]);
            var exhaustive = Enumerable.Range(0, m).All(p =>
                outcome.Contains(p) || supporters[p].Count == 0 || cost[p].IsZero || spent + cost[p] > budget);
            if (exhaustive) break;
            share += new Frac(1, 1);
            var next = Once(share);
            if (next.Aggregate(BigInteger.Zero, (s, p) => s + cost[p]) > budget) break;
            outcome = next;
        }
        return outcome.Select(p => e.Projects[p].Id).ToList();
    }
}
