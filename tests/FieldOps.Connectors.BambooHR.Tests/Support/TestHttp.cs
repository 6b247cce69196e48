using System.Text.Json.Nodes;
using WireMock.Logging;
using WireMock.Server;

namespace FieldOps.Connectors.BambooHR.Tests.Support;

/// <summary>Fixture answers and what the WireMock server received.</summary>
internal static class TestHttp
{
    public static string Results(params (bool Success, string? Id, string? Message)[] items) =>
        new JsonArray(items.Select(i => (JsonNode)new JsonObject
        {
            ["success"] = i.Success,
            ["response"] = new JsonObject { ["id"] = i.Id, ["message"] = i.Message },
        }).ToArray()).ToJsonString();

    public static IReadOnlyList<ILogEntry> Calls(this WireMockServer server, string method, string path) =>
        server.LogEntries.Where(e => e.RequestMessage.Method == method && e.RequestMessage.Path == path)
            .OrderBy(e => e.RequestMessage.DateTime).ToList();

    public static string? Header(this ILogEntry entry, string name) =>
        entry.RequestMessage.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?[0];

    public static JsonArray JsonArrayBody(this ILogEntry entry) => JsonNode.Parse(entry.RequestMessage.Body!)!.AsArray();
}
