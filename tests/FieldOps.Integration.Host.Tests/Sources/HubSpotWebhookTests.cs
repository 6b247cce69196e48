using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FieldOps.Integration.Host.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Integration.Host.Tests.Sources;

/// <summary>
/// HubSpot webhooks through the real host (<c>Sources:hs:Kind = hubspot</c>): the v3 signature over method, URI, body
/// and timestamp; each element of the posted batch its own inbox event; ticket events hydrated from a WireMock.Net
/// CRM API and routed by the shipped flow service-request-jobber. The signatures here are computed by the test from
/// HubSpot's recipe (docs/reverse-directions.md), not by the code under test.
/// </summary>
public sealed class HubSpotWebhookTests : IDisposable
{
    internal const string Secret = "6f1c9d2e-4b7a-4e3f-9a81-2c5d7e0b1f34";
    internal const string PublicUrl = "https://hub.example.com/webhooks/hs";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly WireMockServer _crm = WireMockServer.Start();
    private readonly TempDirectory _keys = new();
    private readonly FieldOpsFactory _factory;

    public HubSpotWebhookTests()
    {
        _crm.Given(Request.Create().WithPath("/crm/v3/objects/tickets/9001").UsingGet().WithHeader("Authorization", "Bearer pat-na1-test"))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("""
                {"id":"9001","properties":{"subject":"Leaking water heater","content":"Pilot light goes out","hs_ticket_priority":"HIGH",
                 "hs_lastmodifieddate":"2026-12-04T09:00:00.000Z","createdate":"2026-12-04T08:59:00.000Z"},
                 "associations":{"contacts":{"results":[{"id":"501","type":"ticket_to_contact"}]}}}
                """));
        _crm.Given(Request.Create().WithPath("/crm/v3/objects/contacts/501").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("""
                {"id":"501","properties":{"email":"Sam@Example.com","firstname":"Sam","lastname":"Ortiz","company":"Ortiz Dental"}}
                """));
        _factory = new FieldOpsFactory(new Dictionary<string, string?>
        {
            ["Sources:hs:Kind"] = "hubspot",
            ["Sources:hs:Secret"] = Secret,
            ["Sources:hs:PublicUrl"] = PublicUrl,
            ["Sources:hs:ApiBaseUrl"] = _crm.Url + "/",
            ["Sources:hs:AccessToken"] = "pat-na1-test",
            ["Mappings:Path"] = RepositoryPaths.Mappings,
            ["Credentials:KeysDirectory"] = _keys.Path,
            ["Hydration:Debounce"] = "00:00:00.100",
        });
    }

    private static string Batch(int attempt) => new JsonArray(
        Event(1, "ticket.creation", 9001, attempt),
        Event(2, "contact.creation", 501, attempt)).ToJsonString();

    internal static JsonObject Event(long eventId, string type, long objectId, int attempt) => new()
    {
        ["eventId"] = eventId, ["subscriptionId"] = 2881778, ["portalId"] = 44237313, ["appId"] = 77, ["occurredAt"] = 1733302800000 + eventId,
        ["subscriptionType"] = type, ["attemptNumber"] = attempt, ["objectId"] = objectId, ["changeSource"] = "CRM_UI", ["sourceId"] = "userId:882761034",
    };

    internal static string Sign(string uri, string body, string timestamp) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes("POST" + uri + body + timestamp)));

    internal static string Now(TimeSpan offset = default) => (DateTimeOffset.UtcNow + offset).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static HttpRequestMessage Post(string body, string signature, string timestamp)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/hs") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("X-HubSpot-Signature-v3", signature);
        request.Headers.TryAddWithoutValidation("X-HubSpot-Request-Timestamp", timestamp);
        return request;
    }

    [Fact]
    public async Task Webhook_SignedBatch_IsSplitIntoEventsAndTheTicketIsRoutedByTheShippedFlow()
    {
        using var client = _factory.CreateClient();
        var body = Batch(attempt: 0);
        var timestamp = Now();

        using var response = await client.SendAsync(Post(body, Sign(PublicUrl, body, timestamp), timestamp));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(2, answer["eventIds"]!.AsArray().Count);
        await StoreProbe.WaitUntilAsync(() => Settled(StoreProbe.Inbox(_factory.DatabasePath)), Timeout, Describe);
        var inbox = StoreProbe.Inbox(_factory.DatabasePath);
        Assert.Equal(2, inbox.Count);
        var ticket = inbox.Single(e => e.DedupKey.StartsWith("hubspot:44237313:2881778:1:9001:", StringComparison.Ordinal));
        Assert.True(ticket.State == "routed", $"{ticket.State}: {ticket.Reason}");
        Assert.Equal("unmatched", inbox.Single(e => e.Id != ticket.Id).State); // no flow takes a new contact
        var rows = StoreProbe.Outbox(_factory.DatabasePath);
        Assert.All(rows, r => Assert.Equal("service-request-jobber", r.Flow));
        Assert.Equal(["hubspot", "jobber", "jobber"], rows.Select(r => r.Connector).Order(StringComparer.Ordinal));
        Assert.Contains(rows, r => r.IdempotencyKey == "sam@example.com");

        // HubSpot's retry of the same batch (attemptNumber grows, signed anew) stores nothing new.
        var again = Batch(attempt: 1);
        var later = Now();
        using var retry = await client.SendAsync(Post(again, Sign(PublicUrl, again, later), later));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(2, StoreProbe.Inbox(_factory.DatabasePath).Count);
    }

    [Fact]
    public async Task Webhook_TamperedStaleOrSignedForAnotherUri_IsRefusedAndNothingStored()
    {
        using var client = _factory.CreateClient();
        var body = Batch(attempt: 0);
        var now = Now();
        var stale = Now(TimeSpan.FromMinutes(-6));
        var tampered = body.Replace("9001", "9002", StringComparison.Ordinal);

        using var tamperedAnswer = await client.SendAsync(Post(tampered, Sign(PublicUrl, body, now), now));
        using var staleAnswer = await client.SendAsync(Post(body, Sign(PublicUrl, body, stale), stale));
        using var otherUri = await client.SendAsync(Post(body, Sign("https://evil.example.com/webhooks/hs", body, now), now));
        using var unsigned = await client.SendAsync(Post(body, "", now));

        foreach (var answer in new[] { tamperedAnswer, staleAnswer, otherUri, unsigned })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
            Assert.Equal("invalid signature", JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
        }
        Assert.Contains("outside the tolerance", JsonNode.Parse(await staleAnswer.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(StoreProbe.Inbox(_factory.DatabasePath));
    }

    /// <summary>
    /// A batch one of whose events has a dedup key part holding a NUL character (an objectId sent as the string
    /// "501\u0000"): PostgreSQL's text cannot keep it, so the batch is refused 400 before any of it is stored —
    /// before, that event failed its commit at every retry of the sender (503 for ever on PostgreSQL).
    /// </summary>
    [Fact]
    public async Task Webhook_BatchWithANulInAnEventsKey_IsRefused400AndNothingStored()
    {
        using var client = _factory.CreateClient();
        var bad = Event(2, "contact.creation", 501, attempt: 0);
        bad["objectId"] = "501\0";
        var body = new JsonArray(Event(1, "ticket.creation", 9001, attempt: 0), bad).ToJsonString();
        var now = Now();

        using var answer = await client.SendAsync(Post(body, Sign(PublicUrl, body, now), now));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var error = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        Assert.Equal("invalid text", error["error"]!.GetValue<string>());
        Assert.Contains("/1/objectId", error["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("NUL character", error["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(StoreProbe.Inbox(_factory.DatabasePath));
    }

    public void Dispose()
    {
        _factory.Dispose();
        _crm.Stop();
        _keys.Dispose();
    }

    private static bool Settled(IReadOnlyList<StoreProbe.InboxRow> inbox) =>
        inbox.Count > 0 && inbox.All(e => e.State is not ("new" or "awaiting_hydration"));

    private string Describe() => string.Join("; ", StoreProbe.Inbox(_factory.DatabasePath).Select(e => $"{e.Id} {e.State} {e.Reason}"));
}
