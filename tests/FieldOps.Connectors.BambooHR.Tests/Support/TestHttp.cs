using System.Text.Json.Nodes;

namespace FieldOps.Connectors.BambooHR.Tests.Support;

/// <summary>BambooHR's batch answers, written in the test (what the server received: <see cref="FieldOps.Integration.Testing.Recorded"/>).</summary>
internal static class TestHttp
{
    public static string Results(params (bool Success, string? Id, string? Message)[] items) =>
        new JsonArray(items.Select(i => (JsonNode)new JsonObject
        {
            ["success"] = i.Success,
            ["response"] = new JsonObject { ["id"] = i.Id, ["message"] = i.Message },
        }).ToArray()).ToJsonString();
}
