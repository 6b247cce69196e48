using System.Globalization;
using FieldOps.Integration.Core.Operations;

namespace FieldOps.Integration.Host.Admin;

/// <summary>Reads a dead-letter filter from <c>connector</c>, <c>flow</c>, <c>class</c>, <c>from</c>, <c>to</c> (ISO 8601) values.</summary>
internal static class AdminQuery
{
    /// <summary>The filter, or the reason the values do not make one.</summary>
    public static (DeadLetterFilter? Filter, string? Error) Filter(Func<string, string?> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        DateTimeOffset? from = null, to = null;
        if (value("from") is { Length: > 0 } fromText)
        {
            if (!DateTimeOffset.TryParse(fromText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var f))
                return (null, $"from: '{fromText}' is not an ISO 8601 time");
            from = f;
        }
        if (value("to") is { Length: > 0 } toText)
        {
            if (!DateTimeOffset.TryParse(toText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
                return (null, $"to: '{toText}' is not an ISO 8601 time");
            to = t;
        }
        return (new DeadLetterFilter(Empty(value("connector")), Empty(value("flow")), Empty(value("class")), from, to), null);
    }

    private static string? Empty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
