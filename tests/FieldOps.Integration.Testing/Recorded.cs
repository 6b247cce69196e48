using System.Text.Json.Nodes;
using WireMock.Logging;
using WireMock.Server;

namespace FieldOps.Integration.Testing;

/// <summary>What the WireMock server received.</summary>
public static class Recorded
{
    /// <summary>The requests with <paramref name="method"/> whose path ends with <paramref name="pathSuffix"/> (a whole path works too), oldest first.</summary>
    public static IReadOnlyList<ILogEntry> Calls(this WireMockServer server, string method, string pathSuffix) =>
        server.LogEntries
            .Where(e => e.RequestMessage.Method == method && e.RequestMessage.Path.EndsWith(pathSuffix, StringComparison.Ordinal))
            .OrderBy(e => e.RequestMessage.DateTime)
            .ToList();

    public static string? QueryParam(this ILogEntry entry, string name) =>
        entry.RequestMessage.Query is { } query && query.TryGetValue(name, out var values) ? values[0] : null;

    public static string? Header(this ILogEntry entry, string name) =>
        entry.RequestMessage.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?[0];

    public static JsonObject JsonBody(this ILogEntry entry) => JsonNode.Parse(entry.RequestMessage.Body!)!.AsObject();

    public static JsonArray JsonArrayBody(this ILogEntry entry) => JsonNode.Parse(entry.RequestMessage.Body!)!.AsArray();
}
