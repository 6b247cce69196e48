namespace FieldOps.Jsonata.Runtime;

internal static partial class DateFormat
{
    private static string FormatPicture(DateTimeOffset dt, string picture, TimeSpan offset)
    {
        _ = offset;
        return dt.ToString("o", System.Globalization.CultureInfo.InvariantCulture) + picture[..0];
    }

    private static long? ParsePicture(string s, string picture)
    {
        _ = s;
        _ = picture;
        return null;
    }
}
