using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FieldOps.Integration.Host.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace FieldOps.Integration.Host.Tests.Intake;

/// <summary>Each refusal of the intake: the status, a JSON error body that says what to fix, and an inbox left as it was.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly FieldOpsFactory _factory = new(new Dictionary<string, string?> { ["Store:BusyTimeout"] = "00:00:00.300" });
    private readonly HttpClient _client;

    public BadInputTests()
    {
        _client = _factory.CreateClient();
        // One accepted event first, so "unchanged" means one row, not an empty or missing table.
        using var response = _client.SendAsync(AcmeRequest("""{"event":{"id":"seed"}}""")).GetAwaiter().GetResult();
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Post_UnknownSource_Is404()
    {
        using var response = await _client.PostAsync("/webhooks/nosuch", Json("{}"));
        await AssertRefusedAsync(response, HttpStatusCode.NotFound, "unknown source", "nosuch");
    }

    [Fact]
    public async Task Post_MissingSignature_Is401()
    {
        using var request = AcmeRequest("""{"event":{"id":"e1"}}""");
        request.Headers.Remove("X-Acme-Signature");
        using var response = await _client.SendAsync(request);
        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "invalid signature", "missing X-Acme-Signature");
    }

    [Fact]
    public async Task Post_WrongSignature_Is401()
    {
        using var request = AcmeRequest("""{"event":{"id":"e1"}}""", secret: "not-the-secret");
        using var response = await _client.SendAsync(request);
        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "invalid signature", "signature mismatch");
    }

    [Fact]
    public async Task Post_TimestampOutsideTolerance_Is401()
    {
        var old = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = AcmeRequest("""{"event":{"id":"e1"}}""", timestamp: old);
        using var response = await _client.SendAsync(request);
        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "invalid signature", "timestamp outside the tolerance");
    }

    [Fact]
    public async Task Post_MalformedJson_Is400WithTheParsersMessage()
    {
        using var response = await _client.SendAsync(AcmeRequest("""{"event": {"id": "e1",}"""));
        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "malformed JSON", "LineNumber");
    }

    [Fact]
    public async Task Post_MissingDedupField_Is400NamingThePointer()
    {
        using var response = await _client.SendAsync(AcmeRequest("""{"other":1}"""));
        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "missing dedup field", "/event/id");
    }

    [Fact]
    public async Task Post_BodyOverTheLimit_Is413()
    {
        var big = "{\"event\":{\"id\":\"big\",\"pad\":\"" + new string('x', 5000) + "\"}}";
        using var response = await _client.SendAsync(AcmeRequest(big));
        await AssertRefusedAsync(response, HttpStatusCode.RequestEntityTooLarge, "body too large", "MaxBodyBytes");
    }

    [Fact]
    public async Task Post_UnsupportedContentType_Is415()
    {
        using var request = AcmeRequest("""{"event":{"id":"e1"}}""");
        request.Content!.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        using var response = await _client.SendAsync(request);
        await AssertRefusedAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported content type", "application/json");
    }

    [Fact]
    public async Task Post_StoreCannotCommit_Is503WithRetryAfterAndNeverA2xx()
    {
        // Another writer holds SQLite's write lock longer than the configured busy timeout: the commit fails.
        await using (var locker = new SqliteConnection($"Data Source={_factory.DatabasePath};Pooling=False"))
        {
            await locker.OpenAsync();
            await using (var command = locker.CreateCommand())
            {
                command.CommandText = "BEGIN EXCLUSIVE";
                await command.ExecuteNonQueryAsync();
            }
            using var response = await _client.SendAsync(AcmeRequest("""{"event":{"id":"blocked"}}"""));
            Assert.Equal("5", response.Headers.GetValues("Retry-After").Single());
            await AssertRefusedAsync(response, HttpStatusCode.ServiceUnavailable, "store unavailable", "retry later", checkInbox: false);
        }
        Assert.Equal(1, InboxProbe.Count(_factory.DatabasePath));
        // Once the lock is gone, the same delivery is taken: nothing was half-written.
        using var retry = await _client.SendAsync(AcmeRequest("""{"event":{"id":"blocked"}}"""));
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
    }

    private async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string error, string detailContains, bool checkInbox = true)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.Contains(detailContains, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        if (checkInbox)
            Assert.Equal(1, InboxProbe.Count(_factory.DatabasePath));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static HttpRequestMessage AcmeRequest(string body, string secret = FieldOpsFactory.HmacSecret, string? timestamp = null)
    {
        timestamp ??= DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/acme") { Content = Json(body) };
        request.Headers.Add("X-Acme-Timestamp", timestamp);
        request.Headers.Add("X-Acme-Signature", Signing.AcmeSignature(timestamp, body, secret));
        return request;
    }

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
    }
}
