using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FieldOps.Jsonata.Runtime;

internal static partial class DateFormat
{
    [GeneratedRegex(@"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$")]
    private static partial Regex IsoRegex();

    private static long? ParseIso(string s)
    {
        var m = IsoRegex().Match(s);
        if (!m.Success)
        {
            return null;
        }

        int G(int i, int def) => m.Groups[i].Success ? int.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture) : def;
        var ms = m.Groups[7].Success ? (int)(double.Parse("0." + m.Groups[7].Value, CultureInfo.InvariantCulture) * 1000) : 0;
        var offset = m.Groups[8].Success ? ParseOffset(m.Groups[8].Value) : TimeSpan.Zero;
        try
        {
            var dto = new DateTimeOffset(G(1, 0), G(2, 1), G(3, 1), G(4, 0), G(5, 0), G(6, 0), ms, offset);
            return dto.ToUnixTimeMilliseconds();
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static TimeSpan ParseOffset(string z)
    {
        if (z is "Z" or "z")
        {
            return TimeSpan.Zero;
        }

        var sign = z[0] == '-' ? -1 : 1;
        var body = z.TrimStart('+', '-');
        int h, mi = 0;
        if (body.Contains(':', StringComparison.Ordinal))
        {
            var p = body.Split(':');
            h = int.Parse(p[0], CultureInfo.InvariantCulture);
            mi = int.Parse(p[1], CultureInfo.InvariantCulture);
        }
        else if (body.Length > 2)
        {
            h = int.Parse(body[..^2], CultureInfo.InvariantCulture);
            mi = int.Parse(body[^2..], CultureInfo.InvariantCulture);
        }
        else
        {
            h = int.Parse(body, CultureInfo.InvariantCulture);
        }

        return new TimeSpan(sign * h, sign * mi, 0);
    }

    private static long? ParsePicture(string s, string picture, DateTimeOffset now)
    {
        var parts = ParseMarkers(picture);
        var markers = parts.OfType<Marker>().ToList();
        if (markers.Count == 0)
        {
            return null;
        }

        if (markers.Exists(m => m.Component == 'Y' && IsName(m.Presentation)))
        {
            throw Errors.Create("D3133");
        }

        var rx = new StringBuilder("^");
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i] is string lit)
            {
                rx.Append(Regex.Escape(lit));
                continue;
            }

            var m = (Marker)parts[i];
            var adjacent = i + 1 < parts.Count && parts[i + 1] is Marker;
            rx.Append('(').Append(MarkerPattern(m, adjacent)).Append(')');
        }

        rx.Append('$');
        var match = Regex.Match(s, rx.ToString(), RegexOptions.None, TimeSpan.FromSeconds(2));
        if (!match.Success)
        {
            return null;
        }

        var values = new Dictionary<char, int>();
        var offset = TimeSpan.Zero;
        bool? pm = null;
        var msValue = 0;
        for (var k = 0; k < markers.Count; k++)
        {
            var m = markers[k];
            var text = match.Groups[k + 1].Value;
            switch (m.Component)
            {
                case 'Y' when IsName(m.Presentation):
                    throw Errors.Create("D3133");
                case 'M' or 'x' when IsName(m.Presentation):
                    values[m.Component] = Array.FindIndex(MonthNames, n => n.StartsWith(text, StringComparison.OrdinalIgnoreCase) || text.StartsWith(n, StringComparison.OrdinalIgnoreCase)) + 1;
                    break;
                case 'F' when IsName(m.Presentation):
                    values['F'] = 1;
                    break;
                case 'P':
                    pm = text.Equals("pm", StringComparison.OrdinalIgnoreCase);
                    break;
                case 'Z' or 'z':
                    offset = ParseOffset(text.StartsWith("GMT", StringComparison.OrdinalIgnoreCase) ? text[3..] : text);
                    break;
                case 'f':
                    msValue = (int)(double.Parse("0." + text, CultureInfo.InvariantCulture) * 1000);
                    values['f'] = msValue;
                    break;
                case 'C' or 'E':
                    break;
                default:
                    var pres = m.Presentation + (m.Modifier == 'o' ? ";o" : string.Empty);
                    var v = IntegerPicture.Parse(text, pres);
                    values[m.Component] = (int)(v ?? 0);
                    break;
            }
        }

        if (values.ContainsKey('X') || values.ContainsKey('W') || values.ContainsKey('w') || values.ContainsKey('x'))
        {
            throw Errors.Create("D3136");
        }

        if (values.TryGetValue('h', out var h12))
        {
            values['H'] = pm == true ? (h12 % 12) + 12 : h12 % 12;
        }

        var order = values.ContainsKey('d') ? "YdHmsf" : "YMDHmsf";
        int first = -1, last = -1;
        for (var i = 0; i < order.Length; i++)
        {
            if (values.ContainsKey(order[i]))
            {
                if (first < 0)
                {
                    first = i;
                }
                else if (last != i - 1)
                {
                    throw Errors.Create("D3136");
                }

                last = i;
            }
        }

        var today = now.UtcDateTime;
        int Get(char c, int index, int fromNow, int min) => values.TryGetValue(c, out var v) ? v : index < first ? fromNow : min;
        var year = Get('Y', 0, today.Year, today.Year);
        DateTime date;
        if (values.TryGetValue('d', out var doy))
        {
            date = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(doy - 1);
        }
        else
        {
            date = new DateTime(year, Get('M', 1, today.Month, 1), Get('D', 2, today.Day, 1), 0, 0, 0, DateTimeKind.Utc);
        }

        var ti = values.ContainsKey('d') ? 2 : 3;
        var result = date.AddHours(Get('H', ti, 0, 0)).AddMinutes(Get('m', ti + 1, 0, 0)).AddSeconds(Get('s', ti + 2, 0, 0)).AddMilliseconds(msValue);
        return new DateTimeOffset(result, TimeSpan.Zero).ToUnixTimeMilliseconds() - (long)offset.TotalMilliseconds;
    }

    private static string MarkerPattern(Marker m, bool adjacent)
    {
        switch (m.Component)
        {
            case 'P':
                return "[aApP][mM]";
            case 'Z':
                return @"Z|[+-]\d{1,2}(?::?\d{2})?";
            case 'z':
                return @"GMT[+-]\d{1,2}(?::?\d{2})?";
            case 'C' or 'E':
                return "ISO";
        }

        if (IsName(m.Presentation))
        {
            return "[a-zA-Z]+";
        }

        switch (m.Presentation)
        {
            case "I" or "i":
                return "[IVXLCDMivxlcdm]+";
            case "A" or "a":
                return "[a-zA-Z]+";
            case "W" or "w" or "Ww":
                return @"[a-zA-Z][a-zA-Z\- ,]*?";
        }

        var suffix = m.Modifier == 'o' ? "(?:st|nd|rd|th)" : string.Empty;
        if (adjacent)
        {
            var width = m.MaxWidth ?? Math.Max(m.Presentation.Count(c => char.IsDigit(c) || c == '#'), 1);
            return @"\d{" + width.ToString(CultureInfo.InvariantCulture) + "}" + suffix;
        }

        return @"\d+" + suffix;
    }
}
