using System.Numerics;
using PBServices.Allocation.Pabulib;

namespace PBServices.Allocation.Rules;

/// <summary>
/// The Method of Equal Shares (equalshares.net), computed exactly.
/// <para>
/// Every voter starts with budget/n. In each round the project with the lowest price per unit of
/// utility that its supporters can still pay is funded; a supporter pays price × utility or, if
/// poorer, everything left. Utility is the project's cost for approval and choose-1 ballots
/// (pabutools' Cost_Sat) and the points given for cumulative ballots (Additive_Cardinal_Sat).
/// Ties go to the smallest project id in ordinal order.
/// </para>
/// <para>
/// Exactness at speed: money is scaled to integers. Voters who supported the same funded projects
/// always hold the same budget, so they share a budget class; a round works once per class, not
/// once per voter, and voters are plain class indices in a flat array. This file is the exact
/// engine, where every budget and price is a BigInteger fraction (doubles only pre-sort, and when
/// two are too close to be trusted the fractions decide). EqualSharesRule.Interval.cs decides most
/// runs far faster in certified double intervals and hands any run it cannot decide back to it.
/// </para>
/// </summary>
internal sealed partial class EqualSharesRule
{
    private readonly PbElection _election;
    private readonly ElectionTally _tally;
    private readonly int _n, _m;
    private readonly BigInteger[] _cost;
    private readonly BigInteger _budget;
    private readonly BigInteger _unit;
    private readonly decimal _scale;
    private readonly string[] _ids;
    // Supporters of project p are _supVoter[_supStart[p].._supStart[p+1]); utilities alongside
    // (null for approval: every supporter's utility is the project's cost).
    private readonly int[] _supStart;
    private readonly int[] _supVoter;
    private readonly int[]? _supUtil;
    private readonly BigInteger[] _totalUtil;

    // Run state.
    private readonly int[] _classOf;
    private readonly List<Rational> _classBudget = [];
    private readonly List<double> _classApprox = [];
    private int[] _scratch = [];
    private readonly List<int> _touched = [];
    private int _zeroClass;

    public EqualSharesRule(PbElection election, ElectionTally tally)
    {
        _election = election;
        _tally = tally;
        _n = election.Ballots.Count;
        _m = election.Projects.Count;
        _ids = election.Projects.Select(p => p.Id).ToArray();

        var decimals = election.Projects.Select(p => Decimals(p.Cost)).Append(Decimals(election.Budget)).Max();
        _scale = Pow10(decimals);
        _unit = new BigInteger(_scale);
        _cost = election.Projects.Select(p => new BigInteger(p.Cost * _scale)).ToArray();
        _budget = new BigInteger(election.Budget * _scale);

        var ballots = election.Ballots;
        var items = ballots.Items;
        var points = election.VoteType == VoteType.Cumulative ? ballots.PointsArray : null;
        _supStart = new int[_m + 1];
        for (var k = 0; k < items.Length; k++)
        {
            if (points is null || points[k] > 0)
            {
                _supStart[items[k] + 1]++;
            }
        }
        for (var p = 0; p < _m; p++)
        {
            _supStart[p + 1] += _supStart[p];
        }
        _supVoter = new int[_supStart[_m]];
        _supUtil = points is null ? null : new int[_supStart[_m]];
        var fill = _supStart[.._m];
        var offsets = ballots.Offsets;
        for (var v = 0; v < _n; v++)
        {
            for (var k = offsets[v]; k < offsets[v + 1]; k++)
            {
                if (points is null || points[k] > 0)
                {
                    var at = fill[items[k]]++;
                    _supVoter[at] = v;
                    if (_supUtil is not null) _supUtil[at] = points![k];
                }
            }
        }
        _totalUtil = new BigInteger[_m];
        for (var p = 0; p < _m; p++)
        {
            if (_supUtil is null)
            {
                _totalUtil[p] = _cost[p] * (_supStart[p + 1] - _supStart[p]);
            }
            else
            {
                long sum = 0;
                for (var k = _supStart[p]; k < _supStart[p + 1]; k++) sum += _supUtil[k];
                _totalUtil[p] = sum;
            }
        }
        _classOf = new int[_n];
        // Doubles hold these integers exactly below 2^50, which the certified engine relies on.
        var limit = BigInteger.One << 50;
        _intervalSafe = _budget < limit && _cost.All(c => c < limit) && _totalUtil.All(u => u < limit);
        _costD = _cost.Select(c => (double)c).ToArray();
        _totalUtilD = _totalUtil.Select(u => (double)u).ToArray();
    }

    private readonly double[] _costD;
    private readonly double[] _totalUtilD;

    private readonly bool _intervalSafe;

    private sealed class Run
    {
        public required Rational Share;
        public readonly List<int> Selected = [];
        public BigInteger Spent;
        public int[] Round = [];
        public Rational?[] Price = [];
        public int[] Paying = [];
        public int[] RefusedRound = [];
        public Rational?[] Available = [];
        // Filled instead of Price/Available when the run was decided in certified doubles.
        public bool Exact = true;
        public double[] PriceApprox = [];
        public double[] AvailableApprox = [];
    }

    /// <summary>Which arithmetic decides: Auto tries certified doubles and falls back to exact fractions.</summary>
    internal enum Engine { Auto, Exact }

    internal Engine Mode { get; init; } = Engine.Auto;

    /// <summary>Runs the certified-double engine could not decide and handed to exact fractions.</summary>
    internal int Fallbacks { get; private set; }

    /// <summary>Runs decided in certified doubles.</summary>
    internal int IntervalRuns { get; private set; }

    // Up to this many ballots the reported outcome is recomputed in exact fractions, so that the
    // explanation shows exact prices; beyond it prices are shown as approximations.
    private const int ExactExplanationLimit = 200_000;

    public AllocationOutcome Outcome(bool completeByAddOne)
    {
        if (_n == 0)
        {
            return Report(new Run { Share = Rational.Zero, Round = new int[_m], Price = new Rational?[_m], Paying = new int[_m], RefusedRound = new int[_m], Available = new Rational?[_m] }, completeByAddOne);
        }
        var share = Rational.Of(_budget, _n);
        var run = Execute(share);
        if (!completeByAddOne)
        {
            return Report(Explained(run), false);
        }
        // pabutools' voter_budget_increment=1: raise the share until the outcome is exhaustive
        // (keep it) or over budget (keep the previous one). The first run is always within budget.
        while (true)
        {
            if (IsExhaustive(run))
            {
                return Report(Explained(run), true);
            }
            share += Rational.Of(_unit);
            var next = Execute(share);
            if (next.Spent > _budget)
            {
                return Report(Explained(run), true);
            }
            run = next;
        }
    }

    private bool IsExhaustive(Run run)
    {
        var chosen = new bool[_m];
        foreach (var p in run.Selected) chosen[p] = true;
        for (var p = 0; p < _m; p++)
        {
            if (!chosen[p] && _totalUtil[p] > 0 && _cost[p] > 0 && run.Spent + _cost[p] <= _budget)
            {
                return false;
            }
        }
        return true;
    }

    private Run Execute(Rational share)
    {
        if (Mode == Engine.Auto && _intervalSafe)
        {
            if (ExecuteInterval(share) is { } run)
            {
                IntervalRuns++;
                return run;
            }
            Fallbacks++;
        }
        return ExecuteExact(share);
    }

    /// <summary>
    /// Adds exact prices to a run decided in doubles by replaying its winners in exact fractions:
    /// one price per round instead of a search over all projects.
    /// </summary>
    private Run Explained(Run run)
    {
        if (run.Exact || _n > ExactExplanationLimit)
        {
            return run;
        }
        ResetExactState(run.Share);
        foreach (var p in run.Selected)
        {
            if (_cost[p].IsZero)
            {
                continue;
            }
            if (!Price(p, out var price, out _))
            {
                throw new InvalidOperationException($"Replaying the winners in exact fractions found project {_ids[p]} unaffordable.");
            }
            run.Price[p] = price;
            run.Paying[p] = Pay(p, price, grouped: true); // Price just grouped p's supporters
            // Denominators grow with every round in which some supporters pay less than others;
            // past a few dozen digits a fraction explains nothing and costs more than the count
            // itself, so later rounds are explained with their certified approximations.
            if (price.Den.GetBitLength() > ExactPriceBits)
            {
                break;
            }
        }
        return run;
    }

    /// <summary>Longest price denominator (in bits) shown as an exact fraction in explanations.</summary>
    internal long ExactPriceBits { get; init; } = 64;

    private void ResetExactState(Rational share)
    {
        Array.Clear(_classOf);
        _classBudget.Clear();
        _classApprox.Clear();
        NewClass(share);
        _zeroClass = -1;
    }

    /// <summary>
    /// Funds the free projects that have support first, as pabutools does (in project-id order), and
    /// returns the projects left to compete: supported and not free. Both engines start here.
    /// </summary>
    private List<int> FundFreeProjects(Run run)
    {
        var alive = new List<int>();
        for (var p = 0; p < _m; p++)
        {
            if (_totalUtil[p].IsZero)
            {
                continue;
            }
            if (_cost[p].IsZero)
            {
                run.Selected.Add(p);
                run.Round[p] = run.Selected.Count;
                continue;
            }
            alive.Add(p);
        }
        run.Selected.Sort((a, b) => string.CompareOrdinal(_ids[a], _ids[b]));
        return alive;
    }

    private Run ExecuteExact(Rational share)
    {
        var run = new Run
        {
            Share = share,
            Round = new int[_m],
            Price = new Rational?[_m],
            Paying = new int[_m],
            RefusedRound = new int[_m],
            Available = new Rational?[_m],
        };
        ResetExactState(share);

        var alive = FundFreeProjects(run);
        var stale = new Rational[_m];
        var staleApprox = new double[_m];
        var dirty = Enumerable.Repeat(true, _m).ToArray();
        foreach (var p in alive)
        {
            stale[p] = Rational.Of(_cost[p], _totalUtil[p]);
            staleApprox[p] = stale[p].ToDouble();
        }

        for (var round = 1; alive.Count > 0; round++)
        {
            // A project's last computed price can only rise as budgets shrink, so it is a lower
            // bound: once it exceeds the best price found this round, nothing after it can win.
            alive.Sort((a, b) =>
            {
                var c = Compare(stale[a], staleApprox[a], stale[b], staleApprox[b]);
                return c != 0 ? c : string.CompareOrdinal(_ids[a], _ids[b]);
            });
            Rational best = default;
            var bestProject = -1;
            var refused = new List<int>();
            foreach (var p in alive)
            {
                if (bestProject >= 0 && stale[p] > best)
                {
                    break;
                }
                Rational price;
                if (dirty[p])
                {
                    if (!Price(p, out price, out var available))
                    {
                        run.RefusedRound[p] = round;
                        run.Available[p] = available;
                        refused.Add(p);
                        continue;
                    }
                    stale[p] = price;
                    staleApprox[p] = price.ToDouble();
                    dirty[p] = false;
                }
                else
                {
                    price = stale[p]; // no supporter has paid since: still the exact price
                }
                var c = bestProject < 0 ? -1 : price.CompareTo(best);
                if (c < 0 || (c == 0 && string.CompareOrdinal(_ids[p], _ids[bestProject]) < 0))
                {
                    best = price;
                    bestProject = p;
                }
            }
            foreach (var p in refused) alive.Remove(p);
            if (bestProject < 0)
            {
                break;
            }
            alive.Remove(bestProject);
            run.Paying[bestProject] = Pay(bestProject, best);
            MarkDirty(bestProject, dirty);
            run.Selected.Add(bestProject);
            run.Round[bestProject] = run.Selected.Count;
            run.Price[bestProject] = best;
        }
        run.Spent = run.Selected.Aggregate(BigInteger.Zero, (s, p) => s + _cost[p]);
        return run;
    }

    /// <summary>Marks every project sharing a supporter with p: only their prices can have changed.</summary>
    private void MarkDirty(int p, bool[] dirty)
    {
        var offsets = _election.Ballots.Offsets;
        var items = _election.Ballots.Items;
        for (var k = _supStart[p]; k < _supStart[p + 1]; k++)
        {
            var v = _supVoter[k];
            for (var i = offsets[v]; i < offsets[v + 1]; i++)
            {
                dirty[items[i]] = true;
            }
        }
    }

    private int NewClass(Rational budget)
    {
        _classBudget.Add(budget);
        _classApprox.Add(budget.ToDouble());
        if (_scratch.Length < _classBudget.Count)
        {
            Array.Resize(ref _scratch, Math.Max(16, _classBudget.Count * 2));
        }
        return _classBudget.Count - 1;
    }

    /// <summary>Orders two fractions by their doubles when those are far apart, else exactly.</summary>
    private static int Compare(Rational a, double da, Rational b, double db)
    {
        var tolerance = 1e-9 * Math.Max(Math.Abs(da), Math.Abs(db));
        if (Math.Abs(da - db) > tolerance)
        {
            return da.CompareTo(db);
        }
        return a.CompareTo(b);
    }

    private readonly record struct Group(int Class, int Utility, int Count, double Key);

    private readonly List<Group> _groups = [];
    private readonly Dictionary<long, int> _groupIndex = [];

    /// <summary>Supporters of p grouped by (budget class, utility), cheapest-to-exhaust first.</summary>
    private List<Group> GroupSupporters(int p)
    {
        _groups.Clear();
        if (_supUtil is null)
        {
            _touched.Clear();
            for (var k = _supStart[p]; k < _supStart[p + 1]; k++)
            {
                var c = _classOf[_supVoter[k]];
                if (_scratch[c]++ == 0) _touched.Add(c);
            }
            foreach (var c in _touched)
            {
                _groups.Add(new Group(c, 1, _scratch[c], _classApprox[c]));
                _scratch[c] = 0;
            }
        }
        else
        {
            _groupIndex.Clear();
            for (var k = _supStart[p]; k < _supStart[p + 1]; k++)
            {
                var c = _classOf[_supVoter[k]];
                var key = ((long)c << 32) | (uint)_supUtil[k];
                if (_groupIndex.TryGetValue(key, out var g))
                {
                    _groups[g] = _groups[g] with { Count = _groups[g].Count + 1 };
                }
                else
                {
                    _groupIndex[key] = _groups.Count;
                    _groups.Add(new Group(c, _supUtil[k], 1, _classApprox[c] / _supUtil[k]));
                }
            }
        }
        _groups.Sort((a, b) =>
        {
            var tolerance = 1e-9 * Math.Max(Math.Abs(a.Key), Math.Abs(b.Key));
            if (Math.Abs(a.Key - b.Key) > tolerance)
            {
                return a.Key.CompareTo(b.Key);
            }
            var c = Rational.CompareRatios(_classBudget[a.Class], a.Utility, _classBudget[b.Class], b.Utility);
            return c != 0 ? c : a.Class.CompareTo(b.Class);
        });
        return _groups;
    }

    private BigInteger Utility(int p, int groupUtility) => _supUtil is null ? _cost[p] : groupUtility;

    /// <summary>
    /// The lowest price per unit of utility at which p's supporters can pay its cost (those who
    /// cannot pay price × utility pay all they have), or false with the total they have.
    /// </summary>
    private bool Price(int p, out Rational price, out Rational available)
    {
        var contributed = Rational.Zero;
        var remainingUtility = _totalUtil[p];
        foreach (var g in GroupSupporters(p))
        {
            var u = Utility(p, g.Utility);
            var budget = _classBudget[g.Class];
            if (!budget.IsZero)
            {
                // Rich if (cost − contributed) / remainingUtility × u ≤ budget.
                var left = Rational.Of(_cost[p]) - contributed;
                if (left.Num * u * budget.Den <= budget.Num * remainingUtility * left.Den)
                {
                    price = Rational.Of(left.Num, left.Den * remainingUtility);
                    available = default;
                    return true;
                }
                contributed += budget * g.Count;
            }
            remainingUtility -= u * g.Count;
        }
        price = default;
        available = contributed;
        return false;
    }

    /// <summary>Charges p's supporters at the given price; returns how many paid something.</summary>
    private int Pay(int p, Rational price, bool grouped = false)
    {
        var groups = grouped ? _groups : GroupSupporters(p);
        var paying = 0;
        // New class per (old class, utility) group: the same payment from the same budget.
        var target = PrepareTargets(groups.Count);
        foreach (var g in groups)
        {
            var budget = _classBudget[g.Class];
            if (budget.IsZero)
            {
                continue;
            }
            paying += g.Count;
            var charge = price * Utility(p, g.Utility);
            var left = budget - charge;
            Remember(target, g.Class, g.Utility, left.Num.Sign <= 0 ? ZeroClass() : NewClass(left));
        }
        MoveSupporters(p, target);
        return paying;
    }

    // Where each paying (class, utility) group moves. Approval: one utility, so a flat array indexed
    // by class (entry + 1, 0 for none); cumulative: a dictionary keyed by class and points.
    private int[] _nextOfClass = [];
    private readonly List<int> _movedClasses = [];

    private Dictionary<long, int>? PrepareTargets(int groups)
    {
        if (_supUtil is not null)
        {
            return new Dictionary<long, int>(groups);
        }
        var classes = Math.Max(_classBudget.Count, _intervalClasses);
        if (_nextOfClass.Length < classes)
        {
            Array.Resize(ref _nextOfClass, Math.Max(64, classes * 2));
        }
        _movedClasses.Clear();
        return null;
    }

    private void Remember(Dictionary<long, int>? target, int fromClass, int utility, int toClass)
    {
        if (target is null)
        {
            _nextOfClass[fromClass] = toClass + 1;
            _movedClasses.Add(fromClass);
        }
        else
        {
            target[((long)fromClass << 32) | (uint)utility] = toClass;
        }
    }

    private void MoveSupporters(int p, Dictionary<long, int>? target)
    {
        if (target is null)
        {
            for (var k = _supStart[p]; k < _supStart[p + 1]; k++)
            {
                var v = _supVoter[k];
                var next = _nextOfClass[_classOf[v]];
                if (next > 0) _classOf[v] = next - 1;
            }
            foreach (var c in _movedClasses) _nextOfClass[c] = 0;
            return;
        }
        for (var k = _supStart[p]; k < _supStart[p + 1]; k++)
        {
            var v = _supVoter[k];
            if (target.TryGetValue(((long)_classOf[v] << 32) | (uint)_supUtil![k], out var c))
            {
                _classOf[v] = c;
            }
        }
    }

    private int ZeroClass()
    {
        if (_zeroClass < 0)
        {
            _zeroClass = NewClass(Rational.Zero);
        }
        return _zeroClass;
    }

    private AllocationOutcome Report(Run run, bool completed)
    {
        var rule = completed ? AllocationRule.EqualSharesAdd1 : AllocationRule.EqualShares;
        var outcomes = new ProjectOutcome[_m];
        var perPointInMoney = _supUtil is not null;
        for (var p = 0; p < _m; p++)
        {
            var project = _election.Projects[p];
            var supporters = _supStart[p + 1] - _supStart[p];
            var score = (decimal)_tally.Scores[p];
            if (run.Round[p] > 0)
            {
                string? price = null;
                string reason;
                var exactPrice = run.Price[p] is { } known && known.Den.GetBitLength() <= ExactPriceBits ? known : (Rational?)null;
                if (exactPrice is null && !_cost[p].IsZero)
                {
                    var approx = (run.Price[p]?.ToDouble() ?? run.PriceApprox[p]) / (perPointInMoney ? (double)_scale : 1);
                    price = "~" + approx.ToString("G12", System.Globalization.CultureInfo.InvariantCulture);
                    reason = perPointInMoney
                        ? $"funded in round {run.Round[p]} at about {approx:G6} per point, paid by {run.Paying[p]} of {supporters} supporters"
                        : $"funded in round {run.Round[p]}: supporters paid up to about {(decimal)approx * project.Cost:0.##} each ({approx:G6} of its cost), paid by {run.Paying[p]} of {supporters} supporters";
                }
                else if (exactPrice is { } r)
                {
                    // For cumulative ballots the price is money per point; scaled money back to currency.
                    var shown = perPointInMoney ? Rational.Of(r.Num, r.Den * _unit) : r;
                    price = shown.ToString();
                    reason = perPointInMoney
                        ? $"funded in round {run.Round[p]} at {shown.ToDecimal(4)} per point, paid by {run.Paying[p]} of {supporters} supporters"
                        : $"funded in round {run.Round[p]}: supporters paid up to {(shown * _cost[p] / _unit).ToDecimal(2)} each ({shown} of its cost), paid by {run.Paying[p]} of {supporters} supporters";
                }
                else
                {
                    reason = "funded first: it costs nothing and has supporters";
                }
                outcomes[p] = new ProjectOutcome(project.Id, project.Cost, score, supporters, ProjectVerdict.Funded,
                    run.Round[p], price, price is null ? null : run.Paying[p], null, null, reason);
            }
            else if (supporters == 0)
            {
                outcomes[p] = new ProjectOutcome(project.Id, project.Cost, score, 0, ProjectVerdict.NoSupport,
                    null, null, null, null, null, "no ballot supports it");
            }
            else
            {
                decimal? available = run.Available[p] is { } a ? Rational.Of(a.Num, a.Den * _unit).ToDecimal(2)
                    : !run.Exact && run.RefusedRound[p] > 0 ? Math.Round((decimal)(run.AvailableApprox[p] / (double)_scale), 2) : null;
                var when = run.RefusedRound[p] > 0 ? $" in round {run.RefusedRound[p]}" : "";
                outcomes[p] = new ProjectOutcome(project.Id, project.Cost, score, supporters, ProjectVerdict.Unaffordable,
                    run.RefusedRound[p] > 0 ? run.RefusedRound[p] : null, null, null, null, available,
                    available is { } left
                        ? $"its {supporters} supporters could not afford it{when}: {left} left, costs {project.Cost}"
                        : $"its {supporters} supporters could not afford it");
            }
        }
        var items = _election.Projects.Select((p, i) => new GreedyRule.Item(p.Id, p.Cost, _tally.Scores[i], 0)).ToList();
        var spent = run.Selected.Sum(p => _election.Projects[p].Cost);
        var share = Rational.Of(run.Share.Num, run.Share.Den * _unit);
        return new AllocationOutcome(rule, _election.Budget, run.Selected.Select(p => _ids[p]).ToList(), spent,
            Allocator.OrderForReport(outcomes, run.Selected, GreedyRule.RankOrder(items)), share.ToString());
    }

    private static int Decimals(decimal d)
    {
        var normalized = d / 1.0000000000000000000000000000m;
        return normalized.Scale;
    }

    private static decimal Pow10(int k)
    {
        var r = 1m;
        for (var i = 0; i < k; i++) r *= 10;
        return r;
    }
}
