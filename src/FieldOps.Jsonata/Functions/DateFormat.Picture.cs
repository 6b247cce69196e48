using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FieldOps.Jsonata.Runtime;

internal static partial class DateFormat
{
    private static readonly string[] DayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    private static readonly string[] MonthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    internal sealed record Marker(char Component, string Presentation, char Modifier, int? MinWidth, int? MaxWidth, bool ExplicitPresentation);

    [GeneratedRegex(@"^(\*|\d+)(-(\*|\d+))?$")]
    private static partial Regex WidthRegex();

    private static List<object> ParseMarkers(string picture)
    {
        var parts = new List<object>();
        var lit = new StringBuilder();
        var i = 0;
        while (i < picture.Length)
        {
            var c = picture[i];
            if (c == '[')
            {
                if (i + 1 < picture.Length && picture[i + 1] == '[')
                {
                    lit.Append('[');
                    i += 2;
                    continue;
                }

                var end = picture.IndexOf(']', i);
                if (end < 0)
                {
                    throw Errors.Create("D3135");
                }

                if (lit.Length > 0)
                {
                    parts.Add(lit.ToString());
                    lit.Clear();
                }

                var content = new string([.. picture[(i + 1)..end].Where(ch => !char.IsWhiteSpace(ch))]);
                parts.Add(ParseMarker(content));
                i = end + 1;
                continue;
            }

            if (c == ']' && i + 1 < picture.Length && picture[i + 1] == ']')
            {
                lit.Append(']');
                i += 2;
                continue;
            }

            lit.Append(c);
            i++;
        }

        if (lit.Length > 0)
        {
            parts.Add(lit.ToString());
        }

        return parts;
    }

    private static Marker ParseMarker(string content)
    {
        var comp = content[0];
        var rest = content[1..];
        int? min = null, max = null;
        var comma = rest.LastIndexOf(',');
        if (comma >= 0)
        {
            var w = WidthRegex().Match(rest[(comma + 1)..]);
            if (w.Success)
            {
                min = w.Groups[1].Value == "*" ? null : int.Parse(w.Groups[1].Value, CultureInfo.InvariantCulture);
                if (w.Groups[3].Success && w.Groups[3].Value != "*")
                {
                    max = int.Parse(w.Groups[3].Value, CultureInfo.InvariantCulture);
                }

                rest = rest[..comma];
            }
        }

        var modifier = '\0';
        if (rest.Length > 1 && rest[^1] is 'o' or 'c' or 't' && rest != "Nn")
        {
            modifier = rest[^1];
            rest = rest[..^1];
        }

        var explicitPresentation = rest.Length > 0;
        if (!explicitPresentation)
        {
            rest = comp switch
            {
                'F' or 'P' or 'C' or 'E' => "n",
                'm' or 's' => "01",
                'Z' or 'z' => "01:01",
                _ => "1",
            };
        }

        if (!"YMDdFWwXxHhPmsfZzCE".Contains(comp, StringComparison.Ordinal))
        {
            throw Errors.Create("D3132", value: comp.ToString());
        }

        return new Marker(comp, rest, modifier, min, max, explicitPresentation);
    }

    private static bool IsName(string p) => p is "N" or "n" or "Nn";

    private static string FormatPicture(DateTimeOffset dt, string picture, TimeSpan offset)
    {
        var parts = ParseMarkers(picture);
        var sb = new StringBuilder();
        foreach (var part in parts)
        {
            if (part is string s)
            {
                sb.Append(s);
                continue;
            }

            sb.Append(FormatComponent(dt, (Marker)part, offset));
        }

        return sb.ToString();
    }

    private static string FormatComponent(DateTimeOffset dt, Marker m, TimeSpan offset)
    {
        var d = dt.DateTime;
        var isoDay = ((int)d.DayOfWeek + 6) % 7 + 1;
        switch (m.Component)
        {
            case 'Y':
                if (IsName(m.Presentation))
                {
                    throw Errors.Create("D3133");
                }

                var y = FormatNumber(d.Year, m);
                var maxW = m.MaxWidth ?? (!m.ExplicitPresentation || m.Presentation == "1" ? m.MinWidth : null);
                if (maxW is { } mw && y.Length > mw && char.IsDigit(y[^1]))
                {
                    y = y[^mw..];
                }

                return y;
            case 'M':
                return IsName(m.Presentation) ? Name(MonthNames[d.Month - 1], m) : FormatNumber(d.Month, m);
            case 'D':
                return FormatNumber(d.Day, m);
            case 'd':
                return FormatNumber(d.DayOfYear, m);
            case 'F':
                return IsName(m.Presentation) ? Name(DayNames[isoDay - 1], m) : FormatNumber(isoDay, m);
            case 'W':
                return FormatNumber(ISOWeek.GetWeekOfYear(d), m);
            case 'X':
                return FormatNumber(ISOWeek.GetYear(d), m);
            case 'w':
            case 'x':
                var monday = d.Date.AddDays(-(isoDay - 1));
                var thursday = monday.AddDays(3);
                if (m.Component == 'w')
                {
                    return FormatNumber(((thursday.Day - 1) / 7) + 1, m);
                }

                return IsName(m.Presentation) ? Name(MonthNames[thursday.Month - 1], m) : FormatNumber(thursday.Month, m);
            case 'H':
                return FormatNumber(d.Hour, m);
            case 'h':
                var h12 = d.Hour % 12;
                return FormatNumber(h12 == 0 ? 12 : h12, m);
            case 'P':
                return Name(d.Hour < 12 ? "am" : "pm", m);
            case 'm':
                return FormatNumber(d.Minute, m);
            case 's':
                return FormatNumber(d.Second, m);
            case 'f':
                var digits = Math.Max(m.Presentation.Count(char.IsDigit), m.MinWidth ?? 0);
                var frac = d.Millisecond.ToString("000", CultureInfo.InvariantCulture);
                if (digits > 3)
                {
                    frac = frac.PadRight(digits, '0');
                }
                else if (digits < 3)
                {
                    frac = frac.TrimEnd('0');
                    if (frac.Length < digits)
                    {
                        frac = frac.PadRight(digits, '0');
                    }
                }

                return frac;
            case 'Z':
                return FormatOffset(offset, m.Presentation, m.Modifier == 't');
            case 'z':
                return "GMT" + FormatOffset(offset, "01:01", false);
            default:
                return "ISO";
        }
    }

    private static string Name(string name, Marker m)
    {
        var s = m.Presentation switch
        {
            "N" => name.ToUpperInvariant(),
            "n" => name.ToLowerInvariant(),
            _ => name,
        };
        return m.MaxWidth is { } max && s.Length > max ? s[..max] : s;
    }

    private static string FormatNumber(int value, Marker m)
    {
        var pres = m.Presentation + (m.Modifier == 'o' ? ";o" : string.Empty);
        var spec = IntegerPicture.ParsePicture(pres);
        var s = IntegerPicture.Format(value, spec);
        if (spec.Kind == '0' && m.MinWidth is { } min && spec.MandatoryDigits < min)
        {
            s = IntegerPicture.Format(value, IntegerPicture.ParsePicture(new string('0', min) + (m.Modifier == 'o' ? ";o" : string.Empty)));
        }

        return s;
    }

    private static string FormatOffset(TimeSpan offset, string pres, bool useZ)
    {
        if (useZ && offset == TimeSpan.Zero)
        {
            return "Z";
        }

        var digitCount = pres.Count(char.IsDigit);
        if (digitCount > 4)
        {
            throw Errors.Create("D3134");
        }

        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var hours = Math.Abs(offset.Hours);
        var minutes = Math.Abs(offset.Minutes);
        var sepIndex = pres.IndexOf(':', StringComparison.Ordinal);
        if (sepIndex >= 0)
        {
            var hw = pres[..sepIndex].Count(char.IsDigit);
            return sign + hours.ToString(CultureInfo.InvariantCulture).PadLeft(hw, '0') + ":" + minutes.ToString("00", CultureInfo.InvariantCulture);
        }

        if (digitCount <= 2)
        {
            var s = sign + hours.ToString(CultureInfo.InvariantCulture).PadLeft(digitCount, '0');
            return minutes != 0 ? s + ":" + minutes.ToString("00", CultureInfo.InvariantCulture) : s;
        }

        return sign + hours.ToString(CultureInfo.InvariantCulture).PadLeft(digitCount - 2, '0') + minutes.ToString("00", CultureInfo.InvariantCulture);
    }
}
