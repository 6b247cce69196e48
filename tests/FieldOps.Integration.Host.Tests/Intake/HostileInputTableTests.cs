using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FieldOps.Integration.Host.Tests.Infrastructure;

namespace FieldOps.Integration.Host.Tests.Intake;

/// <summary>
/// Issue 13's hostile inputs against the real endpoint (in-memory host over its own SQLite file): each gets its
/// status and a JSON {error, detail} of bounded size, and a refused one leaves the inbox as it was.
/// Kestrel's own answers (400/408/414/431) are pinned against the real process in <see cref="KestrelAnswerTests"/>.
/// </summary>
public sealed class HostileInputTableTests : IDisposable
{
    private readonly FieldOpsFactory _factory = new();
    private readonly HttpClient _client;

    public HostileInputTableTests() => _client = _factory.CreateClient();

    private static string Jobber(string account, string topic, string item, string extra = "") =>
        "{\"data\":{\"webHookEvent\":{\"topic\":\"" + topic + "\",\"appId\":\"app\",\"accountId\":\"" + account + "\",\"itemId\":\"" + item + "\",\"occurredAt\":\"2026-01-01T10:00:00Z\"" + extra + "}}}";

    public static TheoryData<string, string, int, string, string> Refused => new()
    {
        // name, raw body (as C# text; \uFFFF marks an invalid UTF-8 byte), status, error, detail contains
        { "duplicate key", Jobber("acc", "JOB_CLOSED", "job-A", ",\"itemId\":\"job-B\""), 400, "duplicate JSON key", "itemId" },
        { "lone surrogate", Jobber("acc", "JOB_CLOSED", "job-\\ud800"), 400, "invalid text", "data/webHookEvent/itemId" },
        { "lone surrogate outside the preset's fields", Jobber("acc", "JOB_CLOSED", "job-1", ",\"note\":\"\\udc00\""), 400, "invalid text", "note" },
        { "invalid UTF-8", Jobber("acc", "JOB_CLOSED", "job-\uFFFF"), 400, "invalid text", "not valid UTF-8" },
        // PostgreSQL's text cannot hold U+0000: in a dedup key it failed the event's commit at every retry (503 for ever);
        // in a note, a mapping could copy it into a key the router writes (its commit failed at every try).
        { "NUL character in the item id", Jobber("acc", "JOB_CLOSED", "job-\\u0000"), 400, "invalid text", "data/webHookEvent/itemId" },
        { "NUL character in a note", Jobber("acc", "JOB_CLOSED", "job-1", ",\"note\":\"before\\u0000after\""), 400, "invalid text", "NUL character" },
        { "NUL character in a key", Jobber("acc", "JOB_CLOSED", "job-1", ",\"no\\u0000te\":\"x\""), 400, "invalid text", "NUL character" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Post_HostileJobberBody_IsRefusedAndTheInboxUnchanged(string name, string body, int status, string error, string detail)
    {
        var bytes = Bytes(body);
        var before = InboxProbe.Count(_factory.DatabasePath);
        using var response = await _client.SendAsync(JobberRequest("jobber", bytes));
        await AssertErrorAsync(response, status, error, detail, name);
        Assert.Equal(before, InboxProbe.Count(_factory.DatabasePath));
    }

    [Fact]
    public async Task Post_SameDeliveryUnderCaseVariantsOfTheSource_IsOneEventInOneDedupScope()
    {
        var body = Bytes(Jobber("acc", "JOB_CLOSED", "job-case"));
        using var first = await _client.SendAsync(JobberRequest("jobber", body));
        using var second = await _client.SendAsync(JobberRequest("Jobber", body));
        using var third = await _client.SendAsync(JobberRequest("JOBBER", body));
        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.OK, HttpStatusCode.OK], new[] { first.StatusCode, second.StatusCode, third.StatusCode });
        var row = Assert.Single(InboxProbe.All(_factory.DatabasePath));
        Assert.Equal("jobber", row.Source);
    }

    [Fact]
    public async Task Post_PartsThatWouldCollideWhenJoined_AreTwoEvents()
    {
        using var first = await _client.SendAsync(JobberRequest("jobber", Bytes(Jobber("a:b", "T", "x"))));
        using var second = await _client.SendAsync(JobberRequest("jobber", Bytes(Jobber("a", "b:T", "x"))));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(2, InboxProbe.All(_factory.DatabasePath).Select(r => r.DedupKey).Distinct().Count());
    }

    [Theory]
    [InlineData("253402300800000")]
    [InlineData("99999999999999999")]
    public async Task Post_TimestampOutsideTheRepresentableRange_Is401LikeAnyStaleOne(string timestamp)
    {
        const string body = """{"event":{"id":"far-future"}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/acme") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Acme-Timestamp", timestamp);
        request.Headers.Add("X-Acme-Signature", Signing.AcmeSignature(timestamp, body));
        using var response = await _client.SendAsync(request);
        await AssertErrorAsync(response, 401, "invalid signature", "outside the tolerance", timestamp);
        Assert.Equal(0, InboxProbe.Count(_factory.DatabasePath));
    }

    [Fact]
    public async Task Post_FormBodyWith100000Fields_Is400WithABoundedDetail()
    {
        var form = string.Join('&', Enumerable.Range(0, 100_000).Select(i => string.Create(CultureInfo.InvariantCulture, $"f{i}=")));
        var bytes = Encoding.ASCII.GetBytes(form);
        using var request = JobberRequest("jobber", bytes, "application/x-www-form-urlencoded");
        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(text.Length < 600, $"the error body is {text.Length} characters");
        await AssertErrorAsync(response, 400, "malformed form body", "100000 fields", "form");
        Assert.Equal(0, InboxProbe.Count(_factory.DatabasePath));
    }

    [Theory]
    [InlineData("GET", "/webhooks/jobber", 405, "method not allowed")]
    [InlineData("GET", "/no/such/path", 404, "not found")]
    public async Task Request_ThePipelineRefuses_HasTheErrorBody(string method, string path, int status, string error)
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        await AssertErrorAsync(response, status, error, path, path);
    }

    private static byte[] Bytes(string body)
    {
        // \uFFFF stands for a byte that is never valid in UTF-8.
        var parts = body.Split('\uFFFF');
        return parts.Length == 1 ? Encoding.UTF8.GetBytes(body) : [.. Encoding.UTF8.GetBytes(parts[0]), 0xFF, .. Encoding.UTF8.GetBytes(parts[1])];
    }

    private static HttpRequestMessage JobberRequest(string source, byte[] body, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/{source}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        request.Headers.Add("X-Jobber-Hmac-SHA256", Convert.ToBase64String(
            System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(FieldOpsFactory.JobberSecret), body)));
        return request;
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, int status, string error, string detail, string name)
    {
        Assert.True((int)response.StatusCode == status, $"{name}: expected {status}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(error, body.GetProperty("error").GetString());
        var text = body.GetProperty("detail").GetString()!;
        Assert.Contains(detail, text, StringComparison.Ordinal);
        Assert.True(text.Length <= 300, $"{name}: detail of {text.Length} characters");
    }

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
    }
}
