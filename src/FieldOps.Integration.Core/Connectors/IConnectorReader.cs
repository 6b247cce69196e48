using System.Text.Json.Nodes;

namespace FieldOps.Integration.Core.Connectors;

/// <summary>
/// A connector's reads, for flows that read before they write (<c>enrich</c>). Registered as a keyed service under
/// the connector's name; the router stores each answer with the event, so one event never reads twice.
/// </summary>
public interface IConnectorReader
{
    /// <summary>Reads <paramref name="read"/> (e.g. <c>query</c>) with <paramref name="parameters"/> on <paramref name="connection"/>.</summary>
    Task<ConnectorReadResult> ReadAsync(string connection, string read, JsonObject parameters, CancellationToken cancellationToken);
}

/// <summary>A read's answer (any JSON), or why it failed (the vendor's own text).</summary>
public sealed record ConnectorReadResult(JsonNode? Answer, string? Failure)
{
    public static ConnectorReadResult Of(JsonNode? answer) => new(answer, null);

    public static ConnectorReadResult Failed(string failure) => new(null, failure);
}
