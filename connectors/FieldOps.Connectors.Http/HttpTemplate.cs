using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Connectors.Http;

/// <summary>
/// Fills <c>{{…}}</c> placeholders from an operation: <c>idempotencyKey</c>, <c>id</c>, <c>operation</c>,
/// <c>objectType</c>, <c>partitionKey</c>, <c>connection</c>, and paths under <c>fields</c> and <c>params</c>.
/// </summary>
internal static partial class HttpTemplate
{
    /// <summary>How a value is written into the template.</summary>
    public enum Escaping
    {
        /// <summary>As text, URL-escaped.</summary>
        Url,

        /// <summary>As text.</summary>
        Text,

        /// <summary>As JSON (strings quoted).</summary>
        Json,
    }

    /// <summary>The filled template; throws <see cref="KeyNotFoundException"/> naming a placeholder without a value.</summary>
    public static string Render(string template, OutboundOperation operation, Escaping escaping) =>
        Placeholder().Replace(template, match =>
        {
            var path = match.Groups[1].Value;
            if (!TryResolve(path, operation, out var value))
                throw new KeyNotFoundException($"the placeholder {{{{{path}}}}} has no value in operation {operation.Id}");
            return escaping switch
            {
                Escaping.Json => value?.ToJsonString() ?? "null",
                Escaping.Url => Uri.EscapeDataString(AsText(value)),
                _ => AsText(value),
            };
        });

    /// <summary>The payload's <c>fields</c> object as JSON (an empty object when it has none).</summary>
    public static string Fields(OutboundOperation operation) => operation.Payload.Fields.ToJsonString();

    private static string AsText(JsonNode? value) =>
        value is JsonValue text && text.GetValueKind() == JsonValueKind.String ? text.GetValue<string>() : value?.ToJsonString() ?? "null";

    /// <summary>The value at <paramref name="path"/>; a present JSON null is found (as null).</summary>
    private static bool TryResolve(string path, OutboundOperation operation, out JsonNode? value)
    {
        var simple = path switch
        {
            "idempotencyKey" => operation.IdempotencyKey,
            "id" => operation.Id,
            "operation" => operation.Operation,
            "objectType" => operation.ObjectType,
            "partitionKey" => operation.PartitionKey,
            "connection" => operation.Connection,
            _ => null,
        };
        value = simple is null ? null : JsonValue.Create(simple);
        if (simple is not null)
            return true;
        var segments = path.Split('.');
        JsonNode? current = segments[0] switch
        {
            "fields" => operation.Payload.Fields,
            "params" => operation.Payload.Params,
            _ => null,
        };
        if (current is null)
            return false;
        foreach (var segment in segments.AsSpan(1))
        {
            if (current is not JsonObject obj || !obj.TryGetPropertyValue(segment, out current))
                return false;
        }
        value = current;
        return true;
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_.\-]+)\s*\}\}")]
    private static partial Regex Placeholder();
}
