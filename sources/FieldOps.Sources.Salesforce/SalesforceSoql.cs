using System.Globalization;
using System.Text;

namespace FieldOps.Sources.Salesforce;

/// <summary>
/// Builds the poll's SOQL. The watermark is a non-unique timestamp (many records share one SystemModstamp, which
/// Salesforce keeps to the second), so a page resumes after the last (SystemModstamp, Id) pair — keyset paging with
/// Id as the tie-break — and never after a timestamp alone, which would skip the rest of a tie split across pages.
/// </summary>
internal static class SalesforceSoql
{
    public static string Build(SalesforcePollOptions options, DateTimeOffset? since, SalesforceCursor? after)
    {
        var fields = new List<string> { "Id", "SystemModstamp" };
        foreach (var field in options.Fields.Count > 0 ? options.Fields : (options.Object == "Case" ? SalesforcePollOptions.DefaultCaseFields : []))
        {
            if (!fields.Contains(field, StringComparer.OrdinalIgnoreCase))
                fields.Add(field);
        }
        var conditions = new List<string>();
        if (since is { } from)
            conditions.Add($"SystemModstamp >= {Literal(from - options.Overlap)}");
        if (after is { } cursor)
        {
            if (!IsRecordId(cursor.Id))
                throw new InvalidOperationException($"the poll cursor's record id '{cursor.Id}' is not a Salesforce id");
            conditions.Add($"(SystemModstamp > {Literal(cursor.Modstamp)} OR (SystemModstamp = {Literal(cursor.Modstamp)} AND Id > '{cursor.Id}'))");
        }
        if (!string.IsNullOrWhiteSpace(options.Where))
            conditions.Add($"({options.Where})");
        var soql = new StringBuilder("SELECT ").AppendJoin(", ", fields).Append(" FROM ").Append(options.Object);
        if (conditions.Count > 0)
            soql.Append(" WHERE ").AppendJoin(" AND ", conditions);
        return soql.Append(" ORDER BY SystemModstamp ASC, Id ASC LIMIT ").Append(options.PageSize.ToString(CultureInfo.InvariantCulture)).ToString();
    }

    private static bool IsRecordId(string id) => id.Length is 15 or 18 && id.All(char.IsAsciiLetterOrDigit);

    /// <summary>A SOQL dateTime literal (unquoted, UTC).</summary>
    public static string Literal(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads Salesforce's <c>2026-12-04T08:00:00.000+0000</c> (offset without a colon) or ISO 8601.</summary>
    public static DateTimeOffset? ParseDateTime(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        if (text.Length > 5 && (text[^5] is '+' or '-') && char.IsDigit(text[^1]) && text[^3] != ':')
            text = text[..^2] + ":" + text[^2..];
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
    }
}

/// <summary>Where the next page starts: after this (SystemModstamp, Id) pair.</summary>
internal readonly record struct SalesforceCursor(DateTimeOffset Modstamp, string Id)
{
    public override string ToString() => $"{Modstamp.UtcDateTime.ToString("o", CultureInfo.InvariantCulture)}|{Id}";

    public static SalesforceCursor? Parse(string? text)
    {
        if (text?.Split('|') is not [var stamp, var id] || !DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return null;
        return new SalesforceCursor(at, id);
    }
}
