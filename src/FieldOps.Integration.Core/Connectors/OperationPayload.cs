using System.Text.Json;
using System.Text.Json.Nodes;

namespace FieldOps.Integration.Core.Connectors;

/// <summary>
/// An operation's payload, <c>{"fields": {…}, "params": {…}}</c> (docs/operations.md), parsed once when the
/// dispatcher claims the row: the form connectors read. It belongs to one delivery: a connector that changes fields
/// for its request works on a copy (<see cref="JsonNode.DeepClone"/>), so a second call of the same delivery (after a
/// token refresh) sends the same payload.
/// </summary>
public sealed record OperationPayload(JsonObject Fields, JsonObject Params)
{
    /// <summary>Why the stored text is not a payload (the dispatcher dead-letters the row without calling a connector), or null.</summary>
    public string? Error { get; private init; }

    /// <summary>A string parameter, or null when it is missing or empty.</summary>
    public string? Param(string name) =>
        Params[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } text ? text : null;

    /// <summary>A string field, or null.</summary>
    public string? Field(string name) =>
        Fields[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>The stored JSON text as a payload; never throws: text that is not one gives a payload with <see cref="Error"/>.</summary>
    public static OperationPayload Parse(string json)
    {
        JsonNode? root;
        try
        {
            // Duplicate properties are refused here: a JsonObject built from them throws when it is first read, which
            // would be after the claim committed the row's lease (the dispatcher would never get the row).
            root = JsonNode.Parse(json, documentOptions: NoDuplicates);
        }
        catch (JsonException ex)
        {
            return Invalid($"The payload is not JSON: {ex.Message}");
        }
        return From(root);
    }

    /// <summary>A payload from its JSON object, taken over (not copied); a node that is not one gives a payload with <see cref="Error"/>.</summary>
    public static OperationPayload From(JsonNode? root)
    {
        if (root is not JsonObject obj)
            return Invalid("The payload is not a JSON object {\"fields\": {…}, \"params\": {…}}.");
        if (obj["fields"] is not (null or JsonObject) || obj["params"] is not (null or JsonObject))
            return Invalid("The payload's fields and params must be JSON objects.");
        return new OperationPayload(obj["fields"]?.AsObject() ?? [], obj["params"]?.AsObject() ?? []);
    }

    /// <summary>The payload as stored: <c>{"fields": {…}, "params": {…}}</c>.</summary>
    public string ToJsonString() =>
        new JsonObject { ["fields"] = Fields.DeepClone(), ["params"] = Params.DeepClone() }.ToJsonString();

    private static readonly JsonDocumentOptions NoDuplicates = new() { AllowDuplicateProperties = false };

    private static OperationPayload Invalid(string error) => new([], []) { Error = error };
}
