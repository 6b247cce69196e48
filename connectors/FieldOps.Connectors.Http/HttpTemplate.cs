using System.Text.Json;
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
            var value = Resolve(path, operation) ?? throw new KeyNotFoundException($"the placeholder {{{{{path}}}}} has no value in operation {operation.Id}");
            return escaping switch
            {
                Escaping.Json => value.GetRawText(),
                Escaping.Url => Uri.EscapeDataString(AsText(value)),
                _ => AsText(value),
            };
        });

    /// <summary>The payload's <c>fields</c> object as JSON (an empty object when it has none).</summary>
    public static string Fields(OutboundOperation operation) =>
        operation.Payload.ValueKind == JsonValueKind.Object && operation.Payload.TryGetProperty("fields", out var fields) ? fields.GetRawText() : "{}";

    private static string AsText(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static JsonElement? Resolve(string path, OutboundOperation operation)
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
        if (simple is not null)
            return JsonSerializer.SerializeToElement(simple);
        if (operation.Payload.ValueKind != JsonValueKind.Object)
            return null;
        var current = operation.Payload;
        foreach (var segment in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment, out current))
                return null;
        }
        return current;
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_.\-]+)\s*\}\}")]
    private static partial Regex Placeholder();
}
