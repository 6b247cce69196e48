using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FieldOps.Integration.Host.Tests.Infrastructure;

namespace FieldOps.Integration.Host.Tests.Intake;

/// <summary>Every Jobber fixture through the real endpoint: valid ones stored, the tampered one refused, the redelivery a duplicate.</summary>
public sealed class JobberFixtureTests : IDisposable
{
    private readonly FieldOpsFactory _factory = new();

    public static TheoryData<string> ValidFixtures => new()
    {
        "jobber/visit-complete.json",
        "jobber/client-update.json",
        "jobber/invoice-create.json",
        "jobber/timesheet-create.json",
    };

    [Theory]
    [MemberData(nameof(ValidFixtures))]
    public async Task Post_ValidJobberDelivery_IsAcceptedAndStoredWithItsDedupKey(string name)
    {
        var fixture = WebhookFixture.Load(name);
        using var client = _factory.CreateClient();

        using var response = await client.SendAsync(fixture.ToRequest());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("accepted", body.GetProperty("status").GetString());
        var stored = Assert.Single(InboxProbe.All(_factory.DatabasePath));
        Assert.Equal(body.GetProperty("eventId").GetInt64(), stored.Id);
        Assert.Equal(fixture.DedupKey, stored.DedupKey);
        Assert.Equal(fixture.Body, stored.Body);
    }

    [Fact]
    public async Task Post_TamperedDelivery_Is401AndStoresNothing()
    {
        var fixture = WebhookFixture.Load("jobber/visit-complete-tampered.json");
        Assert.False(fixture.SignatureValid);
        using var client = _factory.CreateClient();

        using var response = await client.SendAsync(fixture.ToRequest());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid signature", body.GetProperty("error").GetString());
        Assert.Equal(0, InboxProbe.Count(_factory.DatabasePath));
    }

    [Fact]
    public async Task Post_Redelivery_IsADuplicateOfTheFirstAndWritesNothing()
    {
        var first = WebhookFixture.Load("jobber/visit-complete.json");
        var redelivery = WebhookFixture.Load("jobber/visit-complete-redelivery.json");
        Assert.Equal("visit-complete.json", redelivery.DuplicateOf);
        using var client = _factory.CreateClient();

        using var accepted = await client.SendAsync(first.ToRequest());
        using var duplicate = await client.SendAsync(redelivery.ToRequest());

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, duplicate.StatusCode);
        var firstBody = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        var duplicateBody = await duplicate.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("duplicate", duplicateBody.GetProperty("status").GetString());
        Assert.Equal(firstBody.GetProperty("eventId").GetInt64(), duplicateBody.GetProperty("eventId").GetInt64());
        Assert.Equal(1, InboxProbe.Count(_factory.DatabasePath));
    }

    [Fact]
    public async Task Post_OldAppFormEncodedDeliveryWithMisspelledOccuredAt_IsAccepted()
    {
        const string json = """{"data":{"webHookEvent":{"topic":"JOB_CLOSED","appId":"a","accountId":"acc-1","itemId":"job-9","occuredAt":"2021-05-01T10:00:00Z"}}}""";
        var form = "payload=" + Uri.EscapeDataString(json);
        using var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/jobber")
        {
            Content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("X-Jobber-Hmac-SHA256", Signing.JobberSignature(form));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var stored = Assert.Single(InboxProbe.All(_factory.DatabasePath));
        Assert.Equal("jobber:acc-1:JOB_CLOSED:job-9:2021-05-01T10:00:00Z", stored.DedupKey);
    }

    [Fact]
    public async Task Post_ManyConcurrentDeliveries_AreEachStoredOnce()
    {
        using var client = _factory.CreateClient();
        var tasks = Enumerable.Range(0, 60).Select(async i =>
        {
            var json = "{\"data\":{\"webHookEvent\":{\"topic\":\"JOB_UPDATE\",\"appId\":\"a\",\"accountId\":\"acc\",\"itemId\":\"job-" + (i % 30) + "\",\"occurredAt\":\"2025-01-01T00:00:00Z\"}}}";
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/jobber") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Jobber-Hmac-SHA256", Signing.JobberSignature(json));
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        });

        var statuses = await Task.WhenAll(tasks);

        Assert.Equal(30, statuses.Count(s => s == HttpStatusCode.Accepted));
        Assert.Equal(30, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(30, InboxProbe.Count(_factory.DatabasePath));
    }

    public void Dispose() => _factory.Dispose();
}
