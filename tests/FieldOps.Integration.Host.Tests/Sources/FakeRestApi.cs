using System.Text.Json.Nodes;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Integration.Host.Tests.Sources;

/// <summary>A product's REST list of changed customers (canonical events) on a loopback WireMock.Net server, paged by cursor.</summary>
public sealed class FakeRestApi : IDisposable
{
    public const string Path = "/api/customers";

    public WireMockServer Server { get; } = WireMockServer.Start();

    /// <summary>The item numbered <paramref name="n"/>, changed at 2026-01-0n (or at <paramref name="version"/>).</summary>
    public static JsonObject Item(int n, string? version = null)
    {
        var at = version ?? $"2026-01-{n:00}T10:00:00Z";
        return new JsonObject
        {
            ["type"] = "CustomerUpserted",
            ["entityType"] = "Customer",
            ["entityId"] = $"C-{n}",
            ["sourceAccountId"] = "acme",
            ["sourceTopic"] = "customer.updated",
            ["occurredAt"] = at,
            ["sourceVersion"] = at,
            ["entity"] = new JsonObject
            {
                ["id"] = $"C-{n}",
                ["kind"] = "Company",
                ["displayName"] = $"Customer {n}",
                ["emails"] = new JsonArray($"customer{n}@example.com"),
                ["updatedAt"] = at,
            },
        };
    }

    /// <summary>Serves a page for requests with <paramref name="cursor"/> (null: the first page) and, if given, <paramref name="since"/>.</summary>
    public void Page(string? cursor, IEnumerable<JsonObject> items, string? next, TimeSpan? delay = null, int priority = 10, string? since = null)
    {
        var request = Request.Create().WithPath(Path).UsingGet();
        if (cursor is not null)
            request = request.WithParam("cursor", cursor);
        if (since is not null)
            request = request.WithParam("updated_since", since);
        var body = new JsonObject { ["items"] = new JsonArray([.. items]), ["next_cursor"] = next };
        var response = Response.Create().WithHeader("Content-Type", "application/json").WithBody(body.ToJsonString());
        if (delay is { } d)
            response = response.WithDelay(d);
        Server.Given(request).AtPriority(priority).RespondWith(response);
    }

    /// <summary>The cursors of the list requests that arrived at or after <paramref name="since"/>, in order ("" for the first page).</summary>
    public IReadOnlyList<string> CursorsSince(DateTime since) =>
        Server.LogEntries.Where(e => e.RequestMessage.Path == Path && e.RequestMessage.DateTime >= since)
            .OrderBy(e => e.RequestMessage.DateTime)
            .Select(e => e.RequestMessage.Query is { } q && q.TryGetValue("cursor", out var c) ? c.ToString() : "")
            .ToList();

    /// <summary>The environment for a <c>fieldops</c> process polling this API as source <c>acme</c> (canonical events).</summary>
    public Dictionary<string, string> Environment(string directory, string interval) => new()
    {
        ["Store__ConnectionString"] = $"Data Source={System.IO.Path.Combine(directory, "fieldops.db")}",
        ["Mappings__Path"] = RepositoryPaths.Mappings,
        ["Credentials__KeysDirectory"] = System.IO.Path.Combine(directory, "keys"),
        ["Admin__ApiKey"] = "sources-admin-key",
        ["Housekeeping__Interval"] = "01:00:00",
        ["Sources__acme__Kind"] = "canonical",
        ["Sources__acme__Secret"] = "acme-webhook-secret",
        ["Sources__acme__Signature__Header"] = "X-Acme-Signature",
        ["Sources__acme__ApiBaseUrl"] = Server.Url + "/api/",
        ["Sources__acme__Poll__Adapter"] = "rest",
        ["Sources__acme__Poll__Interval"] = interval,
        ["Sources__acme__Poll__Path"] = "customers",
        ["Sources__acme__Poll__PageSize"] = "3",
        ["Sources__acme__Poll__Id"] = "entityId",
        ["Sources__acme__Poll__Version"] = "sourceVersion",
        ["Sources__acme__Poll__EntityType"] = "Customer",
        ["Sources__acme__Poll__Topic"] = "customer.updated",
    };

    public void Dispose() => Server.Stop();
}
