using System.Globalization;

namespace FieldOps.Jsonata.Runtime;

internal static partial class IntegerPicture
{
    private static readonly string[] Small =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];

    private static readonly string[] SmallOrdinal =
    [
        "zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
        "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
    ];

    private static readonly string[] Tens = ["", "ten", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

    private static readonly string[] TensOrdinal = ["", "tenth", "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth", "ninetieth"];

    private static readonly string[] Scales = ["", "thousand", "million", "billion", "trillion"];

    public static string Words(double n, bool ordinal) => n == 0 ? (ordinal ? "zeroth" : "zero") : Lookup(n, false, ordinal);

    private static string Lookup(double n, bool prev, bool ord)
    {
        if (n < 20)
        {
            return (prev ? " and " : string.Empty) + (ord ? SmallOrdinal[(int)n] : Small[(int)n]);
        }

        if (n < 100)
        {
            var t = (int)(n / 10);
            var r = (int)(n % 10);
            var s = (prev ? " and " : string.Empty) + (ord && r == 0 ? TensOrdinal[t] : Tens[t]);
            return r > 0 ? s + "-" + Lookup(r, false, ord) : s;
        }

        if (n < 1000)
        {
            var h = (int)(n / 100);
            var r = n % 100;
            var s = (prev ? ", " : string.Empty) + Small[h] + " hundred";
            return r > 0 ? s + Lookup(r, true, ord) : s + (ord ? "th" : string.Empty);
        }

        var exp = (int)Math.Floor(Math.Log10(n));
        var idx = Math.Min(exp / 3, 4);
        var scale = Math.Pow(10, idx * 3);
        var top = Math.Floor(n / scale);
        var rem = n - (top * scale);
        var w = (prev ? ", " : string.Empty) + Lookup(top, false, false) + " " + Scales[idx];
        return rem > 0 ? w + Lookup(rem, true, ord) : w + (ord ? "th" : string.Empty);
    }

    private static readonly Dictionary<string, double> WordValues = BuildWordValues();

    private static Dictionary<string, double> BuildWordValues()
    {
        var d = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < 20; i++)
        {
            d[Small[i]] = i;
            d[SmallOrdinal[i]] = i;
        }

        for (var i = 1; i < 10; i++)
        {
            d[Tens[i]] = i * 10;
            d[TensOrdinal[i]] = i * 10;
        }

        return d;
    }

    public static double? Parse(string s, string picture)
    {
        var spec = ParsePicture(picture);
        switch (spec.Kind)
        {
            case 'A' or 'a':
                double v = 0;
                foreach (var c in s)
                {
                    v = (v * 26) + (char.ToLowerInvariant(c) - 'a' + 1);
                }

                return v;
            case 'I' or 'i':
                return ParseRoman(s.ToUpperInvariant());
            case 'W' or 'w' or 'T':
                return ParseWords(s.ToLowerInvariant());
            default:
                var digits = new System.Text.StringBuilder();
                foreach (var c in s)
                {
                    if (char.IsDigit(c))
                    {
                        digits.Append((char)('0' + (int)char.GetNumericValue(c)));
                    }
                }

                return digits.Length == 0 ? null : double.Parse(digits.ToString(), CultureInfo.InvariantCulture);
        }
    }

    private static double ParseRoman(string s)
    {
        double total = 0;
        var i = 0;
        foreach (var (value, symbol) in RomanTable)
        {
            while (s.AsSpan(i).StartsWith(symbol, StringComparison.Ordinal))
            {
                total += value;
                i += symbol.Length;
            }
        }

        return total;
    }

    private static double ParseWords(string s)
    {
        double total = 0, current = 0;
        foreach (var raw in s.Split([' ', '-', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            var word = raw;
            if (word == "and")
            {
                continue;
            }

            if (WordValues.TryGetValue(word, out var v))
            {
                current += v;
                continue;
            }

            if (word.EndsWith("th", StringComparison.Ordinal) && word.Length > 2 && !WordValues.ContainsKey(word))
            {
                word = word[..^2];
            }

            if (word == "hundred")
            {
                current *= 100;
                continue;
            }

            var idx = Array.IndexOf(Scales, word);
            if (idx > 0)
            {
                var scale = Math.Pow(10, idx * 3);
                if (current == 0)
                {
                    total = Math.Max(total, 1) * scale;
                }
                else
                {
                    total += current * scale;
                }

                current = 0;
            }
        }

        return total + current;
    }
}
