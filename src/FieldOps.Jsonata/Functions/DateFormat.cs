using System.Globalization;

namespace FieldOps.Jsonata.Runtime;

/// <summary>Date/time formatting and parsing for <c>$fromMillis</c>, <c>$toMillis</c> and <c>$now</c>.</summary>
internal static partial class DateFormat
{
    public static string FromMillis(long ms, string? picture, string? timezone)
    {
        var dt = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        if (picture is null && timezone is null)
        {
            return dt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        }

        var offset = ParseTimezone(timezone);
        return FormatPicture(dt.ToOffset(offset), picture ?? "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]", offset);
    }

    public static TimeSpan ParseTimezone(string? tz)
    {
        if (string.IsNullOrEmpty(tz))
        {
            return TimeSpan.Zero;
        }

        var sign = tz[0] == '-' ? -1 : 1;
        var digits = tz.TrimStart('+', '-').Replace(":", string.Empty, StringComparison.Ordinal);
        if (digits.Length < 4 || !int.TryParse(digits.AsSpan(0, 2), CultureInfo.InvariantCulture, out var h) || !int.TryParse(digits.AsSpan(2, 2), CultureInfo.InvariantCulture, out var m))
        {
            return TimeSpan.Zero;
        }

        return new TimeSpan(sign * h, sign * m, 0);
    }

    public static long? ToMillis(string s, string? picture, DateTimeOffset now)
    {
        if (picture is not null)
        {
            return ParsePicture(s, picture, now);
        }

        return ParseIso(s) ?? throw Errors.Create("D3110", value: s);
    }
}
