using System.Globalization;
using System.Text.Json.Nodes;

/// <summary>
/// A loopback stand-in for a field-service API: a REST list of changed customers (canonical events, cursor pages) and
/// Jobber's token endpoint and GraphQL <c>client(id)</c> query.
/// </summary>
internal static class FakeSourceApi
{
    public static long FirstListRequestTicks;
    public static long LastListRequestTicks;
    public static int GraphQLCalls;

    public static async Task<WebApplication> StartAsync(int port, int records)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        app.MapGet("/api/customers", (string? cursor, int? per_page) =>
        {
            Interlocked.CompareExchange(ref FirstListRequestTicks, Environment.TickCount64, 0);
            Interlocked.Exchange(ref LastListRequestTicks, Environment.TickCount64);
            var from = cursor is null ? 0 : int.Parse(cursor, CultureInfo.InvariantCulture);
            var size = per_page ?? 100;
            var items = new JsonArray();
            for (var n = from; n < Math.Min(records, from + size); n++)
            {
                var at = start.AddSeconds(n).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                items.Add(new JsonObject
                {
                    ["type"] = "CustomerUpserted", ["entityType"] = "Customer", ["entityId"] = $"C-{n}", ["sourceAccountId"] = "acme",
                    ["sourceTopic"] = "customer.updated", ["occurredAt"] = at, ["sourceVersion"] = at,
                    ["entity"] = new JsonObject
                    {
                        ["id"] = $"C-{n}", ["kind"] = "Company", ["displayName"] = $"Customer {n}", ["emails"] = new JsonArray($"c{n}@example.com"),
                        ["billingAddress"] = new JsonObject { ["line1"] = $"{n} Main St", ["line2"] = "Unit 1", ["city"] = "Denver", ["region"] = "CO", ["postalCode"] = "80202", ["country"] = "US" },
                        ["updatedAt"] = at,
                    },
                });
            }
            var next = from + size < records ? (from + size).ToString(CultureInfo.InvariantCulture) : null;
            return Results.Text(new JsonObject { ["items"] = items, ["next_cursor"] = next }.ToJsonString(), "application/json");
        });
        app.MapPost("/jobber/oauth/token", () => Results.Text("""{"access_token":"bench-access","refresh_token":"bench-refresh-2","expires_in":3600}""", "application/json"));
        app.MapPost("/jobber/graphql", async (HttpContext context) =>
        {
            Interlocked.Increment(ref GraphQLCalls);
            var request = await JsonNode.ParseAsync(context.Request.Body);
            var id = request!["variables"]!["id"]!.GetValue<string>();
            var client = new JsonObject
            {
                ["id"] = id, ["name"] = "Dana Whitfield", ["firstName"] = "Dana", ["lastName"] = "Whitfield", ["companyName"] = null, ["isCompany"] = false,
                ["emails"] = new JsonArray(new JsonObject { ["address"] = $"{id.ToLowerInvariant()}@example.com", ["primary"] = true }),
                ["phones"] = new JsonArray(),
                ["billingAddress"] = new JsonObject { ["street1"] = "1200 Pearl St", ["street2"] = "Suite 4", ["city"] = "Boulder", ["province"] = "CO", ["postalCode"] = "80302", ["country"] = "US" },
                ["updatedAt"] = "2025-03-14T12:29:58-06:00",
            };
            var body = new JsonObject
            {
                ["data"] = new JsonObject { ["client"] = client },
                ["extensions"] = JsonNode.Parse("""{"cost":{"requestedQueryCost":20,"actualQueryCost":12,"throttleStatus":{"maximumAvailable":10000,"currentlyAvailable":9988,"restoreRate":500}},"versioning":{"version":"2025-04-16"}}"""),
            };
            return Results.Text(body.ToJsonString(), "application/json");
        });
        await app.StartAsync();
        return app;
    }
}
