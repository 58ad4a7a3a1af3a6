using System.Numerics;

namespace PBServices.Allocation.Rules;

/// <summary>
/// Exact fraction, always reduced with a positive denominator. Equal shares compares prices and budgets that are
/// quotients of quotients; only exact arithmetic guarantees the same winners as a reference
/// implementation, so nothing in the rules ever rounds.
/// </summary>
internal readonly struct Rational : IComparable<Rational>, IEquatable<Rational>
{
    public BigInteger Num { get; }
    public BigInteger Den { get; }

    public static Rational Zero => new(BigInteger.Zero, BigInteger.One);

    /// <summary>Callers pass a reduced fraction with a positive denominator; <see cref="Of(BigInteger, BigInteger)"/> makes one.</summary>
    private Rational(BigInteger num, BigInteger den)
    {
        Num = num;
        Den = den;
    }

    public static Rational Of(BigInteger num, BigInteger den)
    {
        if (den.IsZero)
        {
            throw new DivideByZeroException("Rational with a zero denominator.");
        }
        if (den.Sign < 0)
        {
            num = -num;
            den = -den;
        }
        if (num.IsZero)
        {
            return Zero;
        }
        if (num.GetBitLength() < 63 && den.GetBitLength() < 63)
        {
            // Most fractions in a count stay small; reduce them in machine words.
            var n = (long)num;
            var d = (long)den;
            var w = Gcd(Math.Abs(n), d);
            return w == 1 ? new Rational(num, den) : new Rational(n / w, d / w);
        }
        var g = BigInteger.GreatestCommonDivisor(num, den);
        return g.IsOne ? new Rational(num, den) : new Rational(num / g, den / g);
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }
        return a;
    }

    public static Rational Of(BigInteger whole) => new(whole, BigInteger.One);

    public bool IsZero => Num.IsZero;

    public static Rational operator +(Rational a, Rational b) =>
        a.Den == b.Den ? Of(a.Num + b.Num, a.Den) : Of(a.Num * b.Den + b.Num * a.Den, a.Den * b.Den);

    public static Rational operator -(Rational a, Rational b) =>
        a.Den == b.Den ? Of(a.Num - b.Num, a.Den) : Of(a.Num * b.Den - b.Num * a.Den, a.Den * b.Den);

    public static Rational operator *(Rational a, BigInteger k) => Of(a.Num * k, a.Den);

    public static Rational operator /(Rational a, BigInteger k) => Of(a.Num, a.Den * k);

    public static bool operator <(Rational a, Rational b) => a.CompareTo(b) < 0;
    public static bool operator >(Rational a, Rational b) => a.CompareTo(b) > 0;
    public static bool operator <=(Rational a, Rational b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Rational a, Rational b) => a.CompareTo(b) >= 0;
    public static bool operator ==(Rational a, Rational b) => a.Equals(b);
    public static bool operator !=(Rational a, Rational b) => !a.Equals(b);

    public int CompareTo(Rational other) =>
        Den == other.Den ? Num.CompareTo(other.Num) : (Num * other.Den).CompareTo(other.Num * Den);

    /// <summary>Compares a/ua with b/ub exactly, without building the quotients.</summary>
    public static int CompareRatios(Rational a, BigInteger ua, Rational b, BigInteger ub) =>
        (a.Num * b.Den * ub).CompareTo(b.Num * a.Den * ua);

    // Normalized fractions are equal only when numerators and denominators are.
    public bool Equals(Rational other) => Num == other.Num && Den == other.Den;

    public override bool Equals(object? obj) => obj is Rational r && Equals(r);

    public override int GetHashCode() => HashCode.Combine(Num, Den);

    /// <summary>Approximation for display and for pre-sorting; never used to decide an outcome.</summary>
    public double ToDouble()
    {
        if (Num.IsZero)
        {
            return 0;
        }
        var shift = Math.Max(0L, Math.Max(Num.GetBitLength(), Den.GetBitLength()) - 1000);
        return shift == 0 ? (double)Num / (double)Den : (double)(Num >> (int)shift) / (double)(Den >> (int)shift);
    }

    /// <summary>Rounded to 28 significant digits at most, for explanations.</summary>
    public decimal ToDecimal(int decimals)
    {
        var scale = BigInteger.Pow(10, decimals);
        var q = BigInteger.Divide(Num * scale * 2 + Den, Den * 2);
        return (decimal)q / (decimal)scale;
    }

    public override string ToString() => Den.IsOne ? Num.ToString() : $"{Num}/{Den}";
}
