using System.Numerics;
using PBServices.Allocation.Pabulib;

namespace PBServices.Allocation.Tests;

/// <summary>Invariants every outcome must satisfy, checked on generated elections.</summary>
public class PropertyTests
{
    public static TheoryData<VoteType, ulong> Elections()
    {
        var data = new TheoryData<VoteType, ulong>();
        foreach (var type in new[] { VoteType.Approval, VoteType.Cumulative, VoteType.ChooseOne, VoteType.Ordinal })
        {
            for (ulong seed = 1; seed <= 3; seed++)
            {
                data.Add(type, seed * 31 + (ulong)type);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Elections))]
    public void No_rule_ever_spends_more_than_the_budget(VoteType type, ulong seed)
    {
        var e = ElectionGenerator.Generate(500, 30, type, seed);

        foreach (var rule in Rules(type))
        {
            var outcome = Allocator.Allocate(e, rule);
            var spent = outcome.Selected.Sum(id => e.Projects[e.IndexOf(id)].Cost);
            Assert.Equal(spent, outcome.Spent);
            Assert.True(spent <= e.Budget, $"{rule} spent {spent} of {e.Budget}");
            Assert.Equal(outcome.Selected.Count, outcome.Selected.Distinct().Count());
        }
    }

    [Theory]
    [MemberData(nameof(Elections))]
    public void Greedy_is_exhaustive(VoteType type, ulong seed)
    {
        var e = ElectionGenerator.Generate(500, 30, type, seed);

        var outcome = Allocator.Allocate(e, AllocationRule.Greedy);

        var left = e.Budget - outcome.Spent;
        Assert.All(e.Projects.Where(p => !outcome.Selected.Contains(p.Id)), p => Assert.True(p.Cost > left, $"{p.Id} ({p.Cost}) fits in {left}"));
    }

    [Theory]
    [MemberData(nameof(Elections))]
    public void Mes_never_charges_a_supporter_more_than_their_share(VoteType type, ulong seed)
    {
        if (type == VoteType.Ordinal)
        {
            return; // equal shares needs additive utilities
        }
        var e = ElectionGenerator.Generate(500, 30, type, seed);
        // Every price as an exact fraction, however long, so that the replay below is exact too.
        var outcome = new Rules.EqualSharesRule(e, Tally.Count(e)) { ExactPriceBits = long.MaxValue }.Outcome(completeByAddOne: false);

        // Replay the reported prices voter by voter: every funded project must be paid in full,
        // exactly, from what its supporters still had, and nobody may go below zero.
        var n = e.Ballots.Count;
        var share = Parse(outcome.VoterShare!);
        var money = Enumerable.Repeat(share, n).ToArray();
        foreach (var id in outcome.Selected)
        {
            var p = e.IndexOf(id);
            var project = outcome.Projects.Single(x => x.Id == id);
            var price = Parse(project.PricePerUtility!);
            var paid = (N: BigInteger.Zero, D: BigInteger.One);
            for (var v = 0; v < n; v++)
            {
                var k = e.Ballots.Projects(v).IndexOf(p);
                if (k < 0) continue;
                var utility = type == VoteType.Cumulative ? e.Ballots.Points(v)[k] : new BigInteger(e.Projects[p].Cost);
                var due = Mul(price, utility);
                var pay = Less(money[v], due) ? money[v] : due;
                money[v] = Sub(money[v], pay);
                paid = Add(paid, pay);
                Assert.True(money[v].N.Sign >= 0);
            }
            Assert.Equal(new BigInteger(e.Projects[p].Cost), paid.N / paid.D);
            Assert.Equal(BigInteger.Zero, paid.N % paid.D);
        }
    }

    private static IEnumerable<AllocationRule> Rules(VoteType type) => type == VoteType.Ordinal
        ? [AllocationRule.Greedy, AllocationRule.GreedyNoSkip]
        : Enum.GetValues<AllocationRule>();

    private static (BigInteger N, BigInteger D) Parse(string fraction)
    {
        var parts = fraction.Split('/');
        return (BigInteger.Parse(parts[0]), parts.Length == 2 ? BigInteger.Parse(parts[1]) : BigInteger.One);
    }

    private static (BigInteger N, BigInteger D) Norm(BigInteger n, BigInteger d)
    {
        var g = BigInteger.GreatestCommonDivisor(n, d);
        return g.IsZero ? (0, 1) : (n / g, d / g);
    }

    private static (BigInteger N, BigInteger D) Mul((BigInteger N, BigInteger D) a, BigInteger k) => Norm(a.N * k, a.D);
    private static (BigInteger N, BigInteger D) Add((BigInteger N, BigInteger D) a, (BigInteger N, BigInteger D) b) => Norm(a.N * b.D + b.N * a.D, a.D * b.D);
    private static (BigInteger N, BigInteger D) Sub((BigInteger N, BigInteger D) a, (BigInteger N, BigInteger D) b) => Norm(a.N * b.D - b.N * a.D, a.D * b.D);
    private static bool Less((BigInteger N, BigInteger D) a, (BigInteger N, BigInteger D) b) => a.N * b.D < b.N * a.D;
}
