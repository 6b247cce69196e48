using System.Globalization;

namespace FieldOps.Jsonata.Runtime;

/// <summary>Number helpers over the two internal representations (<see cref="double"/>, <see cref="decimal"/>).</summary>
internal static class Num
{
    private const decimal NormalizeDivisor = 1.000000000000000000000000000000000m;

    public static bool IsNumber(object? v) => v is double or decimal;

    public static double ToDouble(object v) => v is decimal m ? (double)m : (double)v;

    public static bool IsInteger(object v) => v is decimal m ? decimal.Truncate(m) == m : Math.Floor((double)v) == (double)v && double.IsFinite((double)v);

    public static object Add(object a, object b)
    {
        if (a is decimal x && b is decimal y)
        {
            try
            {
                return x + y;
            }
            catch (OverflowException)
            {
                return (double)x + (double)y;
            }
        }

        return ToDouble(a) + ToDouble(b);
    }

    public static object Sub(object a, object b)
    {
        if (a is decimal x && b is decimal y)
        {
            try
            {
                return x - y;
            }
            catch (OverflowException)
            {
                return (double)x - (double)y;
            }
        }

        return ToDouble(a) - ToDouble(b);
    }

    public static object Mul(object a, object b)
    {
        if (a is decimal x && b is decimal y)
        {
            try
            {
                return x * y;
            }
            catch (OverflowException)
            {
                return (double)x * (double)y;
            }
        }

        return ToDouble(a) * ToDouble(b);
    }

    public static object Div(object a, object b)
    {
        if (a is decimal x && b is decimal y && y != 0m)
        {
            try
            {
                return x / y;
            }
            catch (OverflowException)
            {
                return (double)x / (double)y;
            }
        }

        return ToDouble(a) / ToDouble(b);
    }

    public static object Mod(object a, object b)
    {
        if (a is decimal x && b is decimal y && y != 0m)
        {
            return x % y;
        }

        return ToDouble(a) % ToDouble(b);
    }

    public static object Negate(object a) => a is decimal m ? -m : -(double)a;

    public static bool IsFinite(object v) => v is decimal || double.IsFinite((double)v);

    public static int Compare(object a, object b)
    {
        if (a is decimal x && b is decimal y)
        {
            return x.CompareTo(y);
        }

        return ToDouble(a).CompareTo(ToDouble(b));
    }

    public static bool NumEquals(object a, object b)
    {
        if (a is decimal x && b is decimal y)
        {
            return x == y;
        }

        return ToDouble(a) == ToDouble(b);
    }

    /// <summary>Creates a number in the given mode from a double result.</summary>
    public static object FromDouble(double d, NumberMode mode)
    {
        if (mode == NumberMode.Decimal && double.IsFinite(d) && Math.Abs(d) < 7.9e27 && (Math.Abs(d) >= 1e-20 || d == 0))
        {
            if (Math.Floor(d) == d)
            {
                return (decimal)d;
            }

            return decimal.Parse(Format(d), NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return d;
    }

    public static object FromLong(long l, NumberMode mode) => mode == NumberMode.Decimal ? (decimal)l : (double)l;

    /// <summary>Formats a number like JavaScript's <c>JSON.stringify</c>.</summary>
    public static string Format(object v)
    {
        if (v is decimal m)
        {
            var n = m / NormalizeDivisor;
            if (Math.Abs(n) >= 1e21m || (n != 0 && Math.Abs(n) < 0.000001m))
            {
                return Format((double)n);
            }

            return n.ToString(CultureInfo.InvariantCulture);
        }

        return Format((double)v);
    }

    public static string Format(double d)
    {
        if (d == 0)
        {
            return "0";
        }

        if (!double.IsFinite(d))
        {
            return "null";
        }

        var r = d.ToString("R", CultureInfo.InvariantCulture);
        var neg = r[0] == '-';
        if (neg)
        {
            r = r[1..];
        }

        int exp = 0;
        var ePos = r.IndexOf('E', StringComparison.Ordinal);
        if (ePos >= 0)
        {
            exp = int.Parse(r.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..ePos];
        }

        var dot = r.IndexOf('.', StringComparison.Ordinal);
        string digits;
        int pointPos;
        if (dot >= 0)
        {
            digits = string.Concat(r.AsSpan(0, dot), r.AsSpan(dot + 1));
            pointPos = dot;
        }
        else
        {
            digits = r;
            pointPos = r.Length;
        }

        var lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
        }

        digits = digits[lead..];
        pointPos -= lead;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            return "0";
        }

        var k = digits.Length;
        var nExp = pointPos + exp;
        string s;
        if (k <= nExp && nExp <= 21)
        {
            s = digits + new string('0', nExp - k);
        }
        else if (nExp > 0 && nExp <= 21)
        {
            s = digits[..nExp] + "." + digits[nExp..];
        }
        else if (nExp > -6 && nExp <= 0)
        {
            s = "0." + new string('0', -nExp) + digits;
        }
        else
        {
            var e = nExp - 1;
            s = digits[..1] + (k > 1 ? "." + digits[1..] : string.Empty) + "e" + (e >= 0 ? "+" : "-") + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
        }

        return neg ? "-" + s : s;
    }

    /// <summary>Formats with 15 significant digits, as JSONata's <c>$string</c> does.</summary>
    public static string FormatPrecision15(object v)
    {
        if (v is decimal m)
        {
            var n = m / NormalizeDivisor;
            var str = n.ToString(CultureInfo.InvariantCulture);
            var sig = 0;
            foreach (var c in str)
            {
                if (char.IsDigit(c))
                {
                    sig++;
                }
            }

            if (sig <= 15 && Math.Abs(n) < 1e21m && (n == 0 || Math.Abs(n) >= 0.000001m))
            {
                return str;
            }

            return FormatPrecision15((double)m);
        }

        var d = (double)v;
        if (!double.IsFinite(d))
        {
            return Format(d);
        }

        var rounded = double.Parse(d.ToString("E14", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return Format(rounded);
    }
}
