using System.Globalization;
using System.Text;

namespace FieldOps.Jsonata.Runtime;

/// <summary>XPath-style integer pictures for <c>$formatInteger</c>, <c>$parseInteger</c> and date components.</summary>
internal static partial class IntegerPicture
{
    /// <summary>A parsed picture: primary token plus ordinal flag.</summary>
    internal sealed record Spec(string Primary, bool Ordinal, char Kind, int Zero, int MandatoryDigits, List<(int Position, char Sep)> Separators, bool Regular, int GroupSize);

    public static Spec ParsePicture(string picture)
    {
        var primary = picture;
        var ordinal = false;
        var semi = picture.LastIndexOf(';');
        if (semi >= 0)
        {
            primary = picture[..semi];
            var mod = picture[(semi + 1)..];
            ordinal = mod.StartsWith('o');
        }

        char kind;
        switch (primary)
        {
            case "A" or "a" or "I" or "i" or "W" or "w" or "Ww":
                kind = primary == "Ww" ? 'T' : primary[0];
                return new Spec(primary, ordinal, kind, '0', 0, [], false, 0);
        }

        var zero = -1;
        var digits = 0;
        var hasDigitOrHash = false;
        var seps = new List<(int, char)>();
        var pos = 0;
        for (var i = primary.Length - 1; i >= 0; i--)
        {
            var c = primary[i];
            if (char.IsDigit(c))
            {
                var z = c - (int)char.GetNumericValue(c);
                if (zero >= 0 && z != zero)
                {
                    throw Errors.Create("D3131");
                }

                zero = z;
                digits++;
                pos++;
                hasDigitOrHash = true;
            }
            else if (c == '#')
            {
                pos++;
                hasDigitOrHash = true;
            }
            else if (char.IsLetterOrDigit(c) || char.IsSurrogate(c))
            {
                throw Errors.Create("D3130", value: primary);
            }
            else
            {
                seps.Add((pos, c));
            }
        }

        if (!hasDigitOrHash || zero < 0)
        {
            throw Errors.Create("D3130", value: primary);
        }

        var regular = false;
        var groupSize = 0;
        if (seps.Count > 0)
        {
            groupSize = seps[0].Item1;
            regular = groupSize > 0 && seps.TrueForAll(s => s.Item2 == seps[0].Item2);
            for (var k = 0; regular && k < seps.Count; k++)
            {
                regular = seps[k].Item1 == groupSize * (k + 1);
            }
        }

        return new Spec(primary, ordinal, '0', zero, digits, seps, regular, groupSize);
    }

    public static string Format(double value, string picture) => Format(value, ParsePicture(picture));

    public static string Format(double value, Spec spec)
    {
        var neg = value < 0;
        var n = Math.Floor(Math.Abs(value));
        string s;
        switch (spec.Kind)
        {
            case 'A':
                s = Alpha(n, 'A');
                break;
            case 'a':
                s = Alpha(n, 'a');
                break;
            case 'I':
                s = Roman(n);
                break;
            case 'i':
                s = Roman(n).ToLowerInvariant();
                break;
            case 'W':
                s = Words(n, spec.Ordinal).ToUpperInvariant();
                break;
            case 'w':
                s = Words(n, spec.Ordinal);
                break;
            case 'T':
                s = TitleCase(Words(n, spec.Ordinal));
                break;
            default:
                s = Decimal(n, spec);
                if (spec.Ordinal)
                {
                    s += OrdinalSuffix(n);
                }

                break;
        }

        return neg ? "-" + s : s;
    }

    private static string Decimal(double n, Spec spec)
    {
        var raw = n.ToString("F0", CultureInfo.InvariantCulture).PadLeft(spec.MandatoryDigits, '0');
        var sb = new StringBuilder();
        var pos = 0;
        var sepIndex = 0;
        for (var i = raw.Length - 1; i >= 0; i--)
        {
            if (pos > 0)
            {
                if (spec.Regular)
                {
                    if (pos % spec.GroupSize == 0)
                    {
                        sb.Insert(0, spec.Separators[0].Sep);
                    }
                }
                else if (sepIndex < spec.Separators.Count && spec.Separators[sepIndex].Position == pos)
                {
                    sb.Insert(0, spec.Separators[sepIndex].Sep);
                    sepIndex++;
                }
            }

            var d = raw[i] - '0';
            sb.Insert(0, char.ConvertFromUtf32(spec.Zero + d));
            pos++;
        }

        return sb.ToString();
    }

    public static string OrdinalSuffix(double n)
    {
        var last2 = n % 100;
        var last = n % 10;
        if (last2 is >= 11 and <= 13)
        {
            return "th";
        }

        return last switch
        {
            1 => "st",
            2 => "nd",
            3 => "rd",
            _ => "th",
        };
    }

    private static string Alpha(double n, char a)
    {
        var sb = new StringBuilder();
        var v = (long)n;
        while (v > 0)
        {
            v--;
            sb.Insert(0, (char)(a + (v % 26)));
            v /= 26;
        }

        return sb.ToString();
    }

    private static readonly (int Value, string Symbol)[] RomanTable =
    [
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ];

    private static string Roman(double n)
    {
        var v = (long)n;
        var sb = new StringBuilder();
        foreach (var (value, symbol) in RomanTable)
        {
            while (v >= value)
            {
                sb.Append(symbol);
                v -= value;
            }
        }

        return sb.ToString();
    }

    private static string TitleCase(string s)
    {
        var sb = new StringBuilder(s.Length);
        var start = true;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (start && char.IsLetter(c) && !(s.AsSpan(i).StartsWith("and ") && (i == 0 || s[i - 1] == ' ')))
            {
                sb.Append(char.ToUpperInvariant(c));
            }
            else
            {
                sb.Append(c);
            }

            start = c is ' ' or '-';
        }

        return sb.ToString();
    }
}
