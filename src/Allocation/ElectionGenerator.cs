using System.Globalization;
using PBServices.Allocation.Pabulib;

namespace PBServices.Allocation;

/// <summary>
/// Synthetic elections for tests and benchmarks: a few popular projects (Zipf-like popularity), a
/// long tail of costs, ballots of varying length. The same seed gives the same file on every
/// machine: the generator uses its own integer PRNG and no transcendental functions.
/// </summary>
public static class ElectionGenerator
{
    public const int MaxBallotLength = 10;
    public const int CumulativePoints = 10;
    public const int OrdinalLength = 5;

    public static PbElection Generate(int voters, int projects, VoteType type, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(voters);
        ArgumentOutOfRangeException.ThrowIfLessThan(projects, 1);
        var rng = new SplitMix64(seed);

        // Costs: 5 000 to ~500 000 in steps of 1 000, skewed towards cheap (u³).
        var costs = new long[projects];
        for (var j = 0; j < projects; j++)
        {
            var u = rng.NextDouble();
            costs[j] = 5_000 + (long)(495 * u * u * u) * 1_000;
        }
        var budget = costs.Sum() * 3 / 10 / 1_000 * 1_000;

        // Popularity 1/(rank+1), ranks shuffled so that popular projects are not the cheap ones.
        var rank = Enumerable.Range(0, projects).ToArray();
        for (var i = projects - 1; i > 0; i--)
        {
            var k = (int)rng.NextBelow((ulong)i + 1);
            (rank[i], rank[k]) = (rank[k], rank[i]);
        }
        var cumulative = new long[projects];
        long total = 0;
        for (var j = 0; j < projects; j++)
        {
            total += 1_000_000_000L / (rank[j] + 1);
            cumulative[j] = total;
        }

        var maxLength = Math.Min(type == VoteType.Ordinal ? OrdinalLength : MaxBallotLength, projects);
        var columns = type == VoteType.Cumulative ? new[] { "voter_id", "vote", "points" } : new[] { "voter_id", "vote" };
        var builder = new BallotSetBuilder(columns, type == VoteType.Cumulative, 0);
        Span<int> chosen = stackalloc int[MaxBallotLength];
        Span<int> points = stackalloc int[MaxBallotLength];
        var stamp = new int[projects];
        for (var v = 0; v < voters; v++)
        {
            // Length 1..maxLength, shorter ballots more common: the minimum of two uniform draws.
            var length = type == VoteType.ChooseOne
                ? 1
                : 1 + (int)Math.Min(rng.NextBelow((ulong)maxLength), rng.NextBelow((ulong)maxLength));
            for (var i = 0; i < length; i++)
            {
                int pick;
                do
                {
                    var x = (long)rng.NextBelow((ulong)total);
                    pick = Array.BinarySearch(cumulative, x + 1);
                    if (pick < 0) pick = ~pick;
                }
                while (stamp[pick] == v + 1);
                stamp[pick] = v + 1;
                chosen[i] = pick;
            }
            if (type == VoteType.Cumulative)
            {
                // Each chosen project gets at least one point; the rest are spread at random.
                for (var i = 0; i < length; i++) points[i] = 1;
                for (var left = CumulativePoints - length; left > 0; left--)
                {
                    points[(int)rng.NextBelow((ulong)length)]++;
                }
            }
            builder.TryAddVoter(v.ToString(CultureInfo.InvariantCulture));
            builder.AddBallot(chosen[..length], points[..length], []);
        }

        var typeName = type.ToPabulib();
        var meta = new List<KeyValuePair<string, string>>
        {
            new("description", $"Synthetic {typeName} election (pbtool generate --seed {seed})"),
            new("country", "Synthetic"),
            new("unit", "Generated"),
            new("instance", seed.ToString(CultureInfo.InvariantCulture)),
            new("num_projects", projects.ToString(CultureInfo.InvariantCulture)),
            new("num_votes", voters.ToString(CultureInfo.InvariantCulture)),
            new("budget", budget.ToString(CultureInfo.InvariantCulture)),
            new("vote_type", typeName),
            new("rule", "greedy"),
            new("currency", "PEN"),
        };
        if (type != VoteType.ChooseOne) meta.Add(new("max_length", maxLength.ToString(CultureInfo.InvariantCulture)));
        if (type == VoteType.Cumulative) meta.Add(new("max_sum_points", CumulativePoints.ToString(CultureInfo.InvariantCulture)));

        var projectList = Enumerable.Range(0, projects)
            .Select(j => new PbProject((j + 1).ToString(CultureInfo.InvariantCulture), costs[j],
                new Dictionary<string, string> { ["name"] = $"Project {j + 1}" }))
            .ToList();
        return new PbElection(meta, ["project_id", "cost", "name"], projectList, builder.Build());
    }

    /// <summary>SplitMix64: tiny, fast and fully specified, so seeds reproduce everywhere.</summary>
    private sealed class SplitMix64(ulong seed)
    {
        private ulong _state = seed;

        public ulong Next()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

        /// <summary>Uniform in [0, bound) without modulo bias (Lemire's method).</summary>
        public ulong NextBelow(ulong bound)
        {
            var m = (UInt128)Next() * bound;
            var low = (ulong)m;
            if (low < bound)
            {
                var threshold = (0 - bound) % bound;
                while (low < threshold)
                {
                    m = (UInt128)Next() * bound;
                    low = (ulong)m;
                }
            }
            return (ulong)(m >> 64);
        }
    }
}
