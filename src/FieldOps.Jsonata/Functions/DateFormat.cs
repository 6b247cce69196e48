using System.Globalization;

namespace FieldOps.Jsonata.Runtime;

/// <summary>Date/time formatting and parsing for <c>$fromMillis</c>, <c>$toMillis</c> and <c>$now</c>.</summary>
internal static partial class DateFormat
{
    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd", "yyyy-MM", "yyyy", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH",
    ];

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

    public static long? ToMillis(string s, string? picture)
    {
        if (picture is not null)
        {
            return ParsePicture(s, picture);
        }

        if (DateTimeOffset.TryParseExact(s, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var dto))
        {
            return dto.ToUnixTimeMilliseconds();
        }

        throw Errors.Create("D3110", value: s);
    }
}
