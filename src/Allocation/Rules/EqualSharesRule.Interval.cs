using System.Numerics;

namespace PBServices.Allocation.Rules;

/// <summary>
/// Equal shares in certified doubles. Every budget is kept as an interval [lo, hi] that provably
/// contains the exact value, every price as an interval that provably contains the exact price,
/// and a decision (affordable or not, which project is cheapest) is taken only when the intervals
/// leave no doubt. When they do leave doubt — an exact tie, a project costing exactly what its
/// supporters hold — the run returns null and the exact engine decides. Either way the winners
/// are those of exact arithmetic; doubles only make the common case fast.
/// </summary>
internal sealed partial class EqualSharesRule
{
    // Relative error bound of one double operation, with a factor 8 to spare (unit roundoff is 2^-53).
    private const double Eps = 1.0 / (1L << 50);
    // Relative error bound of a sum of positive terms: (k − 1)·2^-53 stays below 1e-8 up to ~9e7 terms.
    private const double SumMargin = 1e-8;

    private double[] _lo = new double[64];
    private double[] _hi = new double[64];
    private int _intervalClasses;
    private double[] _keys = new double[64];
    private int[] _order = new int[64];
    private readonly List<(int Class, int Utility, int Count)> _ig = [];

    private enum Verdict { Affordable, Unaffordable, Undecided }

    private Run? ExecuteInterval(Rational share)
    {
        var run = new Run
        {
            Share = share,
            Exact = false,
            Round = new int[_m],
            Price = new Rational?[_m],
            Paying = new int[_m],
            RefusedRound = new int[_m],
            Available = new Rational?[_m],
            PriceApprox = new double[_m],
            AvailableApprox = new double[_m],
        };
        Array.Clear(_classOf);
        _intervalClasses = 0;
        var s = share.ToDouble();
        NewIntervalClass(s * (1 - Eps), s * (1 + Eps));
        var zeroClass = -1;

        var alive = FundFreeProjects(run);
        var staleLo = new double[_m];
        var dirty = Enumerable.Repeat(true, _m).ToArray();
        var cache = new (double Lo, double Hi, Rational? Exact)[_m];
        foreach (var p in alive)
        {
            staleLo[p] = _costD[p] / _totalUtilD[p] * (1 - Eps);
        }

        var evaluated = new List<(int Project, double Lo, double Hi, Rational? Exact)>();
        for (var round = 1; alive.Count > 0; round++)
        {
            alive.Sort((a, b) =>
            {
                var c = staleLo[a].CompareTo(staleLo[b]);
                return c != 0 ? c : string.CompareOrdinal(_ids[a], _ids[b]);
            });
            evaluated.Clear();
            var best = -1;
            var bestHi = double.PositiveInfinity;
            var refused = new List<int>();
            foreach (var p in alive)
            {
                // Stale lower bounds only rise; past the best upper bound nothing can win or tie.
                if (best >= 0 && staleLo[p] > bestHi)
                {
                    break;
                }
                double lo, hi;
                Rational? exact;
                if (dirty[p])
                {
                    switch (PriceInterval(p, out lo, out hi, out var available, out exact))
                    {
                        case Verdict.Undecided:
                            return null;
                        case Verdict.Unaffordable:
                            run.RefusedRound[p] = round;
                            run.AvailableApprox[p] = available;
                            refused.Add(p);
                            continue;
                    }
                    dirty[p] = false;
                    cache[p] = (lo, hi, exact);
                }
                else
                {
                    (lo, hi, exact) = cache[p]; // no supporter has paid since: same budgets, same price
                }
                staleLo[p] = lo;
                evaluated.Add((p, lo, hi, exact));
                if (hi < bestHi)
                {
                    bestHi = hi;
                    best = p;
                }
            }
            foreach (var p in refused) alive.Remove(p);
            if (best < 0)
            {
                break;
            }
            var (_, bestLo, _, _) = evaluated.Find(x => x.Project == best);
            var contenders = evaluated.Where(x => x.Lo <= bestHi).ToList();
            if (contenders.Count > 1)
            {
                // Overlapping intervals (typically equal vote counts, hence equal prices): decide
                // exactly if every contender's price is known exactly, else hand the run over.
                if (contenders.Any(x => x.Exact is null))
                {
                    return null;
                }
                var winner = contenders[0];
                foreach (var x in contenders.Skip(1))
                {
                    var c = x.Exact!.Value.CompareTo(winner.Exact!.Value);
                    if (c < 0 || (c == 0 && string.CompareOrdinal(_ids[x.Project], _ids[winner.Project]) < 0))
                    {
                        winner = x;
                    }
                }
                best = winner.Project;
                var d = winner.Exact!.Value.ToDouble();
                bestLo = d * (1 - Eps);
                bestHi = d * (1 + Eps);
            }
            alive.Remove(best);
            run.Paying[best] = PayInterval(best, bestLo, bestHi, ref zeroClass);
            MarkDirty(best, dirty);
            run.Selected.Add(best);
            run.Round[best] = run.Selected.Count;
            run.PriceApprox[best] = (bestLo + bestHi) / 2;
        }
        run.Spent = run.Selected.Aggregate(BigInteger.Zero, (sum, p) => sum + _cost[p]);
        return run;
    }

    private int NewIntervalClass(double lo, double hi)
    {
        if (_intervalClasses == _lo.Length)
        {
            Array.Resize(ref _lo, _lo.Length * 2);
            Array.Resize(ref _hi, _hi.Length * 2);
        }
        _lo[_intervalClasses] = lo;
        _hi[_intervalClasses] = hi;
        if (_scratch.Length <= _intervalClasses)
        {
            Array.Resize(ref _scratch, Math.Max(64, _intervalClasses * 2));
        }
        return _intervalClasses++;
    }

    private void GroupIntervalSupporters(int p)
    {
        _ig.Clear();
        if (_supUtil is null)
        {
            _touched.Clear();
            for (var k = _supStart[p]; k < _supStart[p + 1]; k++)
            {
                var c = _classOf[_supVoter[k]];
                if (_scratch[c]++ == 0) _touched.Add(c);
            }
            const int u = 1; // approval: every supporter's utility is the cost, see UtilityOf
            foreach (var c in _touched)
            {
                _ig.Add((c, u, _scratch[c]));
                _scratch[c] = 0;
            }
            return;
        }
        _groupIndex.Clear();
        for (var k = _supStart[p]; k < _supStart[p + 1]; k++)
        {
            var c = _classOf[_supVoter[k]];
                var key = ((long)c << 32) | (uint)_supUtil[k];
            if (_groupIndex.TryGetValue(key, out var g))
            {
                _ig[g] = (_ig[g].Class, _ig[g].Utility, _ig[g].Count + 1);
            }
            else
            {
                _groupIndex[key] = _ig.Count;
                _ig.Add((c, _supUtil[k], 1));
            }
        }
    }

    private double UtilityOf(int p, int groupUtility) => _supUtil is null ? _costD[p] : groupUtility;

    /// <summary>An interval certain to contain p's exact price per unit of utility, or a certain refusal.</summary>
    private Verdict PriceInterval(int p, out double lo, out double hi, out double available, out Rational? exact)
    {
        lo = hi = available = 0;
        exact = null;
        GroupIntervalSupporters(p);
        var cost = _costD[p];
        double sumLo = 0, sumHi = 0;
        foreach (var (c, _, count) in _ig)
        {
            sumLo += count * _lo[c];
            sumHi += count * _hi[c];
        }
        available = (sumLo + sumHi) / 2;
        if (sumHi * (1 + SumMargin) < cost)
        {
            return Verdict.Unaffordable;
        }
        if (sumLo * (1 - SumMargin) < cost)
        {
            return Verdict.Undecided;
        }
        // The exact price is the root of F(r) = Σ min(budget, r·utility) = cost. Budgets at their
        // upper ends give a root no larger than it, at their lower ends one no smaller. Budget
        // intervals are usually so narrow that the upper-end root, widened a little, brackets both.
        var rootHigh = Root(p, cost, _hi);
        if (Bracket(p, cost, rootHigh, rootHigh, out lo, out hi) || Bracket(p, cost, rootHigh, Root(p, cost, _lo), out lo, out hi))
        {
            exact = ExactIfAllCanPay(p, hi);
            return Verdict.Affordable;
        }
        return Verdict.Undecided;
    }

    /// <summary>Certifies that the exact price lies in [rootHigh·(1 − w), rootLow·(1 + w)] for a small w.</summary>
    private bool Bracket(int p, double cost, double rootHigh, double rootLow, out double lo, out double hi)
    {
        foreach (var widen in (ReadOnlySpan<double>)[1e-9, 1e-6])
        {
            lo = rootHigh * (1 - widen);
            hi = rootLow * (1 + widen);
            if (F(p, lo, _hi) * (1 + SumMargin) < cost && F(p, hi, _lo) * (1 - SumMargin) > cost)
            {
                return true;
            }
        }
        lo = hi = 0;
        return false;
    }

    /// <summary>
    /// When every supporter with money certainly holds at least price × utility, nobody is capped and
    /// the exact price is cost / (utility of supporters with money): integers only.
    /// </summary>
    private Rational? ExactIfAllCanPay(int p, double priceHi)
    {
        var payingUtility = _totalUtil[p];
        foreach (var (c, ug, count) in _ig)
        {
            var u = UtilityOf(p, ug);
            if (_hi[c] <= 0)
            {
                payingUtility -= (_supUtil is null ? _cost[p] : ug) * count;
            }
            else if (_lo[c] < priceHi * u * (1 + Eps))
            {
                return null;
            }
        }
        return payingUtility.IsZero ? null : Rational.Of(_cost[p], payingUtility);
    }

    /// <summary>The equal-shares scan on one end of the budget intervals, in plain doubles.</summary>
    private double Root(int p, double cost, double[] budgets)
    {
        var groups = _ig.Count;
        if (_keys.Length < groups)
        {
            _keys = new double[groups * 2];
            _order = new int[groups * 2];
        }
        for (var g = 0; g < groups; g++)
        {
            _keys[g] = budgets[_ig[g].Class] / UtilityOf(p, _ig[g].Utility);
            _order[g] = g;
        }
        Array.Sort(_keys, _order, 0, groups);
        var remaining = _totalUtilD[p];
        double contributed = 0;
        for (var i = 0; i < groups; i++)
        {
            var g = _order[i];
            var (c, ug, count) = _ig[g];
            var u = UtilityOf(p, ug);
            var budget = budgets[c];
            if (budget > 0 && (cost - contributed) * u <= budget * remaining)
            {
                return (cost - contributed) / remaining;
            }
            contributed += count * budget;
            remaining -= count * u;
        }
        return double.NaN; // caught by the certification, which then fails
    }

    private double F(int p, double price, double[] budgets)
    {
        if (double.IsNaN(price))
        {
            return double.NaN;
        }
        double sum = 0;
        foreach (var (c, ug, count) in _ig)
        {
            sum += count * Math.Min(budgets[c], price * UtilityOf(p, ug));
        }
        return sum;
    }

    /// <summary>Charges p's supporters at a price known to lie in [priceLo, priceHi].</summary>
    private int PayInterval(int p, double priceLo, double priceHi, ref int zeroClass)
    {
        GroupIntervalSupporters(p);
        var paying = 0;
        var target = PrepareTargets(_ig.Count);
        foreach (var (c, ug, count) in _ig)
        {
            if (_hi[c] <= 0)
            {
                continue;
            }
            paying += count;
            var u = UtilityOf(p, ug);
            var newHi = _hi[c] - priceLo * u + Eps * (_hi[c] + priceLo * u);
            int next;
            if (newHi <= 0)
            {
                next = zeroClass >= 0 ? zeroClass : zeroClass = NewIntervalClass(0, 0);
            }
            else
            {
                var newLo = Math.Max(0, _lo[c] - priceHi * u - Eps * (_lo[c] + priceHi * u));
                next = NewIntervalClass(newLo, newHi);
            }
            Remember(target, c, ug, next);
        }
        MoveSupporters(p, target);
        return paying;
    }
}
