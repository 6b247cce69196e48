using System.Globalization;

namespace FieldOps.Jsonata.Runtime;

internal static partial class Builtins
{
    private static void RegisterNumeric(Action<string, string, NativeImpl> add)
    {
        add("number", "<(nsb)-:n>", (ev, a, _) => ToNumber(Arg(a, 0), ev.Mode));
        add("floor", "<n-:n>", (_, a, _) => Arg(a, 0) switch
        {
            null => null,
            decimal m => decimal.Floor(m),
            var v => Math.Floor((double)v),
        });
        add("ceil", "<n-:n>", (_, a, _) => Arg(a, 0) switch
        {
            null => null,
            decimal m => decimal.Ceiling(m),
            var v => Math.Ceiling((double)v),
        });
        add("abs", "<n-:n>", (_, a, _) => Arg(a, 0) switch
        {
            null => null,
            decimal m => Math.Abs(m),
            var v => Math.Abs((double)v),
        });
        add("round", "<n-n?:n>", (_, a, _) => Round(Arg(a, 0), Arg(a, 1)));
        add("sqrt", "<n-:n>", (ev, a, _) =>
        {
            if (Arg(a, 0) is not { } v)
            {
                return null;
            }

            var d = Num.ToDouble(v);
            if (d < 0)
            {
                throw Errors.Create("D3060", value: v);
            }

            return Num.FromDouble(Math.Sqrt(d), ev.Mode);
        });
        add("power", "<n-n:n>", (ev, a, _) =>
        {
            if (Arg(a, 0) is not { } b || Arg(a, 1) is not { } e)
            {
                return null;
            }

            if (b is decimal bm && e is decimal em && em == decimal.Truncate(em) && em >= 0 && em <= 64)
            {
                try
                {
                    var r = 1m;
                    for (var i = 0; i < (int)em; i++)
                    {
                        r *= bm;
                    }

                    return r;
                }
                catch (OverflowException)
                {
                }
            }

            var p = Math.Pow(Num.ToDouble(b), Num.ToDouble(e));
            if (!double.IsFinite(p))
            {
                throw Errors.Create("D3061", value: b, detail: Num.Format(e));
            }

            return Num.FromDouble(p, ev.Mode);
        });
        add("random", "<:n>", (ev, _, _) => Num.FromDouble(Random.Shared.NextDouble(), ev.Mode));
    }

    public static object? ToNumber(object? v, NumberMode mode)
    {
        switch (v)
        {
            case null:
                return null;
            case double or decimal:
                return v;
            case bool b:
                return Num.FromLong(b ? 1 : 0, mode);
            case string s:
                var t = s.Trim();
                if (t.Length > 2 && t[0] == '0' && (t[1] is 'x' or 'X' or 'b' or 'B' or 'o' or 'O'))
                {
                    try
                    {
                        var radix = t[1] is 'x' or 'X' ? 16 : t[1] is 'b' or 'B' ? 2 : 8;
                        return Num.FromLong(Convert.ToInt64(t[2..], radix), mode);
                    }
                    catch (FormatException)
                    {
                        throw Errors.Create("D3030", value: v);
                    }
                }

                if (t.Length == 0 || !IsJsonNumber(t) || !double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
                {
                    throw Errors.Create("D3030", value: v);
                }

                if (mode == NumberMode.Decimal && decimal.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) && (m != 0 || d == 0))
                {
                    return m;
                }

                return d;
            default:
                throw Errors.Create("D3030", value: v);
        }
    }

    private static bool IsJsonNumber(string t)
    {
        var i = 0;
        if (i < t.Length && (t[i] == '-' || t[i] == '+'))
        {
            i++;
        }

        var digits = 0;
        while (i < t.Length && char.IsAsciiDigit(t[i]))
        {
            i++;
            digits++;
        }

        if (i < t.Length && t[i] == '.')
        {
            i++;
            while (i < t.Length && char.IsAsciiDigit(t[i]))
            {
                i++;
                digits++;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        if (i < t.Length && (t[i] == 'e' || t[i] == 'E'))
        {
            i++;
            if (i < t.Length && (t[i] == '-' || t[i] == '+'))
            {
                i++;
            }

            var ed = 0;
            while (i < t.Length && char.IsAsciiDigit(t[i]))
            {
                i++;
                ed++;
            }

            if (ed == 0)
            {
                return false;
            }
        }

        return i == t.Length;
    }

    private static object? Round(object? v, object? precision)
    {
        if (v is null)
        {
            return null;
        }

        var p = precision is null ? 0 : (int)Num.ToDouble(precision);
        if (v is decimal m)
        {
            if (p >= 0 && p <= 28)
            {
                return Math.Round(m, p, MidpointRounding.ToEven);
            }

            var scale = (decimal)Math.Pow(10, -p);
            return Math.Round(m / scale, 0, MidpointRounding.ToEven) * scale;
        }

        var d = (double)v;
        // shift via decimal string exponent to avoid binary drift, as JSONata does with toPrecision-like tricks
        var shifted = ShiftDecimal(d, p);
        var r = Math.Round(shifted, MidpointRounding.ToEven);
        return ShiftDecimal(r, -p);
    }

    private static double ShiftDecimal(double d, int places)
    {
        var s = d.ToString("R", CultureInfo.InvariantCulture);
        var ePos = s.IndexOfAny(['e', 'E']);
        var exp = 0;
        if (ePos >= 0)
        {
            exp = int.Parse(s.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            s = s[..ePos];
        }

        return double.Parse(s + "e" + (exp + places).ToString(CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
