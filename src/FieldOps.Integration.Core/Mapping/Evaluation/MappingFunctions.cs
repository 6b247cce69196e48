using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.CrossReferences;
using FieldOps.Jsonata;

namespace FieldOps.Integration.Core.Mapping.Evaluation;

/// <summary>
/// The <c>$</c> functions mappings have besides JSONata's own:
/// <c>$xref(system, type, sourceId)</c> (a late-bound cross-reference: evaluation yields a placeholder that the router
/// resolves from the xref table, or leaves for the dispatcher),
/// <c>$digest(text[, length])</c> (a stable hex SHA-256 prefix, for vendor keys with a length limit),
/// <c>$localTime(timestamp, timeZone)</c> and <c>$localDate(timestamp, timeZone)</c> (an instant in an IANA time zone),
/// <c>$roundHalfUp(number[, precision])</c> (money rounding). <c>$company</c> is a variable, not a function: the
/// <c>Company</c> settings.
/// </summary>
internal static class MappingFunctions
{
    /// <summary>Names a lookup table may not take (our functions and JSONata's built-ins).</summary>
    public static readonly IReadOnlySet<string> ReservedNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "xref", "digest", "localTime", "localDate", "roundHalfUp", "company",
        "sum", "count", "max", "min", "average", "string", "substring", "substringBefore", "substringAfter", "lowercase",
        "uppercase", "length", "trim", "pad", "contains", "split", "join", "match", "replace", "now", "millis", "fromMillis",
        "toMillis", "formatNumber", "formatBase", "formatInteger", "parseInteger", "number", "floor", "ceil", "round", "abs",
        "sqrt", "power", "random", "boolean", "not", "map", "zip", "filter", "single", "reduce", "sift", "keys", "lookup",
        "append", "exists", "spread", "merge", "reverse", "each", "error", "assert", "type", "sort", "shuffle", "distinct",
        "base64encode", "base64decode", "encodeUrlComponent", "encodeUrl", "decodeUrlComponent", "decodeUrl", "eval",
        "clone",
    };

    /// <summary>The compile options every mapping expression uses: decimal numbers and these functions.</summary>
    public static JsonataOptions Options { get; } = new()
    {
        NumberMode = NumberMode.Decimal,
        Functions = new JsonataFunctionRegistry()
            .Add("xref", "<sss:o>", Xref)
            .Add("digest", "<sn?:s>", Digest)
            .Add("localTime", "<ss:s>", args => Local(args, "yyyy-MM-dd'T'HH:mm:sszzz"))
            .Add("localDate", "<ss:s>", args => Local(args, "yyyy-MM-dd"))
            .Add("roundHalfUp", "<nn?:n>", RoundHalfUp),
    };

    private static JsonataValueOrUndefined Xref(JsonataFunctionArgs args)
    {
        if (args[0].AsString() is not { } system || args[1].AsString() is not { } type || args[2].AsString() is not { } id)
            return JsonataValueOrUndefined.Undefined;
        return JsonataValueOrUndefined.FromJson(new XrefPlaceholder(system, type, id).ToJson());
    }

    private static JsonataValueOrUndefined Digest(JsonataFunctionArgs args)
    {
        if (args[0].AsString() is not { } text)
            return JsonataValueOrUndefined.Undefined;
        var length = (int)Math.Clamp(args[1].AsDecimal() ?? 32, 4, 64);
        return JsonataValueOrUndefined.FromString(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..length]);
    }

    /// <summary>
    /// Money rounding: half away from zero (2.345 → 2.35, −2.345 → −2.35) to <c>precision</c> places (default 2), in
    /// decimal. JSONata's own <c>$round</c> rounds half to even (2.345 → 2.34), which is not how invoices round.
    /// </summary>
    private static JsonataValueOrUndefined RoundHalfUp(JsonataFunctionArgs args)
    {
        if (args[0].AsDecimal() is not { } number)
            return JsonataValueOrUndefined.Undefined;
        var precision = (int)Math.Clamp(args[1].AsDecimal() ?? 2, 0, 10);
        return JsonataValueOrUndefined.FromNumber(Math.Round(number, precision, MidpointRounding.AwayFromZero));
    }

    private static JsonataValueOrUndefined Local(JsonataFunctionArgs args, string format)
    {
        if (args[0].AsString() is not { } timestamp || args[1].AsString() is not { } zoneId)
            return JsonataValueOrUndefined.Undefined;
        if (!DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var instant))
            throw new JsonataException("D3110", $"'{timestamp}' is not an ISO 8601 timestamp");
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone))
            throw new JsonataException("D3111", $"'{zoneId}' is not a known time zone (use an IANA name such as America/Denver)");
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return JsonataValueOrUndefined.FromString(local.ToString(format, CultureInfo.InvariantCulture));
    }

    /// <summary>True when <paramref name="node"/> is an <c>$xref</c> placeholder object.</summary>
    public static bool IsPlaceholder(JsonNode? node) => node is JsonObject { Count: 1 } obj && obj.ContainsKey(XrefPlaceholder.PropertyName);
}
