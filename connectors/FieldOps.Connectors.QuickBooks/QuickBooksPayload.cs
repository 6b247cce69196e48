using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>An operation's payload, <c>{"fields": {…}, "params": {…}}</c> (docs/operations.md), as mutable JSON.</summary>
internal sealed record QuickBooksPayload(JsonObject Fields, JsonObject Params)
{
    /// <summary>A copy of the operation's payload, which the connector changes while it builds its request.</summary>
    public static QuickBooksPayload From(OutboundOperation operation) =>
        new(operation.Payload.Fields.DeepClone().AsObject(), operation.Payload.Params.DeepClone().AsObject());

    /// <summary>A parameter as text (strings as they are, numbers as written), or null when absent or empty.</summary>
    public string? Param(string name) => Text(Params[name]);

    /// <summary>A field as text, or null.</summary>
    public string? Field(string name) => Text(Fields[name]);

    public static string? Text(JsonNode? node) => node is JsonValue value && value.ToString() is { Length: > 0 } text ? text : null;
}
