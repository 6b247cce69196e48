using System.Globalization;
using System.Text;

namespace FieldOps.Jsonata.Runtime;

/// <summary>XPath <c>fn:format-number</c> pictures for <c>$formatNumber</c>.</summary>
internal static partial class NumberPicture
{
    private sealed class Props
    {
        public string DecimalSep { get; set; } = ".";

        public string GroupSep { get; set; } = ",";

        public string ExpSep { get; set; } = "e";

        public string Infinity { get; set; } = "Infinity";

        public string Minus { get; set; } = "-";

        public string NaN { get; set; } = "NaN";

        public string Percent { get; set; } = "%";

        public string PerMille { get; set; } = "\u2030";

        public int Zero { get; set; } = '0';

        public string Digit { get; set; } = "#";

        public string PatternSep { get; set; } = ";";
    }

    private sealed class Sub
    {
        public string Prefix { get; set; } = string.Empty;

        public string Suffix { get; set; } = string.Empty;

        public int MinInt { get; set; }

        public int ScalingFactor { get; set; }

        public int MinFrac { get; set; }

        public int MaxFrac { get; set; }

        public List<int> IntGroups { get; } = [];

        public List<int> FracGroups { get; } = [];

        public bool Regular { get; set; }

        public int GroupSize { get; set; }

        public bool HasExponent { get; set; }

        public int MinExp { get; set; }

        public bool Percent { get; set; }

        public bool PerMille { get; set; }
    }

    public static string Format(double value, string picture, JMap? options)
    {
        var p = new Props();
        if (options is not null)
        {
            foreach (var kv in options)
            {
                var s = kv.Value as string ?? string.Empty;
                switch (kv.Key)
                {
                    case "decimal-separator": p.DecimalSep = s; break;
                    case "grouping-separator": p.GroupSep = s; break;
                    case "exponent-separator": p.ExpSep = s; break;
                    case "infinity": p.Infinity = s; break;
                    case "minus-sign": p.Minus = s; break;
                    case "NaN": p.NaN = s; break;
                    case "percent": p.Percent = s; break;
                    case "per-mille": p.PerMille = s; break;
                    case "zero-digit": p.Zero = char.ConvertToUtf32(s, 0); break;
                    case "digit": p.Digit = s; break;
                    case "pattern-separator": p.PatternSep = s; break;
                }
            }
        }

        var subs = picture.Split(p.PatternSep);
        if (subs.Length > 2)
        {
            throw Errors.Create("D3080");
        }

        var analysed = subs.Select(s => Analyse(s, p)).ToList();
        if (double.IsNaN(value))
        {
            return p.NaN;
        }

        Sub sub;
        var prefix = string.Empty;
        if (value < 0 && analysed.Count == 2)
        {
            sub = analysed[1];
        }
        else
        {
            sub = analysed[0];
            if (value < 0)
            {
                prefix = p.Minus;
            }
        }

        var v = Math.Abs(value);
        if (sub.Percent)
        {
            v *= 100;
        }
        else if (sub.PerMille)
        {
            v *= 1000;
        }

        if (double.IsInfinity(v))
        {
            return prefix + sub.Prefix + p.Infinity + sub.Suffix;
        }

        var exp = 0;
        if (sub.HasExponent && v != 0)
        {
            exp = (int)Math.Floor(Math.Log10(v)) + 1 - sub.ScalingFactor;
            v /= Math.Pow(10, exp);
            if (Round(v, sub.MaxFrac) >= Math.Pow(10, Math.Max(sub.ScalingFactor, 0)) && sub.ScalingFactor > 0)
            {
                exp++;
                v /= 10;
            }
        }

        var digits = DigitsOf(v, sub.MaxFrac);
        var dot = digits.IndexOf('.', StringComparison.Ordinal);
        var intDigits = dot < 0 ? digits : digits[..dot];
        var fracDigits = dot < 0 ? string.Empty : digits[(dot + 1)..];
        intDigits = intDigits.TrimStart('0');
        if (intDigits.Length < sub.MinInt)
        {
            intDigits = intDigits.PadLeft(sub.MinInt, '0');
        }

        fracDigits = fracDigits.TrimEnd('0');
        if (fracDigits.Length < sub.MinFrac)
        {
            fracDigits = fracDigits.PadRight(sub.MinFrac, '0');
        }

        var sb = new StringBuilder();
        sb.Append(prefix).Append(sub.Prefix);
        sb.Append(Group(Map(intDigits, p.Zero), sub, p.GroupSep));
        if (fracDigits.Length > 0)
        {
            sb.Append(p.DecimalSep).Append(GroupFraction(Map(fracDigits, p.Zero), sub, p.GroupSep));
        }

        if (sub.HasExponent)
        {
            sb.Append(p.ExpSep);
            if (exp < 0)
            {
                sb.Append(p.Minus);
            }

            sb.Append(Map(Math.Abs(exp).ToString(CultureInfo.InvariantCulture).PadLeft(sub.MinExp, '0'), p.Zero));
        }

        sb.Append(sub.Suffix);
        return sb.ToString();
    }

    private static double Round(double v, int places) => (double)DecimalRound(v, places);

    private static decimal DecimalRound(double v, int places) => v < 7.9e27 ? Math.Round((decimal)v, Math.Min(places, 28), MidpointRounding.ToEven) : (decimal)0;

    private static string DigitsOf(double v, int maxFrac)
    {
        if (v < 7.9e27)
        {
            var m = Math.Round((decimal)v, Math.Min(maxFrac, 28), MidpointRounding.ToEven);
            return m.ToString("F" + Math.Min(maxFrac, 28).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }

        return v.ToString("F0", CultureInfo.InvariantCulture);
    }

    private static string Map(string digits, int zero)
    {
        if (zero == '0')
        {
            return digits;
        }

        var sb = new StringBuilder();
        foreach (var c in digits)
        {
            sb.Append(char.ConvertFromUtf32(zero + (c - '0')));
        }

        return sb.ToString();
    }

    private static string Group(string intPart, Sub sub, string sep)
    {
        if (sub.IntGroups.Count == 0)
        {
            return intPart;
        }

        var elems = SplitElements(intPart);
        var sb = new StringBuilder();
        for (var i = 0; i < elems.Count; i++)
        {
            var posFromRight = elems.Count - i;
            if (i > 0 && (sub.Regular ? posFromRight % sub.GroupSize == 0 : sub.IntGroups.Contains(posFromRight)))
            {
                sb.Append(sep);
            }

            sb.Append(elems[i]);
        }

        return sb.ToString();
    }

    private static string GroupFraction(string frac, Sub sub, string sep)
    {
        var elems = SplitElements(frac);
        var sb = new StringBuilder();
        for (var i = 0; i < elems.Count; i++)
        {
            if (i > 0 && sub.FracGroups.Contains(i))
            {
                sb.Append(sep);
            }

            sb.Append(elems[i]);
        }

        return sb.ToString();
    }

    private static List<string> SplitElements(string s)
    {
        var list = new List<string>();
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length)
            {
                list.Add(s.Substring(i, 2));
                i++;
            }
            else
            {
                list.Add(s[i].ToString());
            }
        }

        return list;
    }
}
