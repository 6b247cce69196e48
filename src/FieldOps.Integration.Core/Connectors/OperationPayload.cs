using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FieldOps.Integration.Core.Connectors;

/// <summary>An operation's payload, <c>{"fields": {…}, "params": {…}}</c> (docs/operations.md), as connectors read it.</summary>
public sealed record OperationPayload(JsonObject Fields, JsonObject Params)
{
    /// <summary>A string parameter, or null when it is missing or empty.</summary>
    public string? Param(string name) =>
        Params[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } text ? text : null;

    /// <summary>A string field, or null.</summary>
    public string? Field(string name) =>
        Fields[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static bool TryRead(OutboundOperation operation, [NotNullWhen(true)] out OperationPayload? payload, [NotNullWhen(false)] out string? error)
    {
        payload = null;
        error = null;
        if (JsonNode.Parse(operation.Payload.GetRawText()) is not JsonObject root)
        {
            error = "The payload is not a JSON object {\"fields\": {…}, \"params\": {…}}.";
            return false;
        }
        if (root["fields"] is not (null or JsonObject) || root["params"] is not (null or JsonObject))
        {
            error = "The payload's fields and params must be JSON objects.";
            return false;
        }
        payload = new OperationPayload(root["fields"]?.AsObject() ?? [], root["params"]?.AsObject() ?? []);
        return true;
    }
}
