using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FieldOps.Integration.Host.Tests.Infrastructure;

namespace FieldOps.Integration.Host.Tests.Admin;

/// <summary>The admin API through the real host: refused without the key, and every dead-letter function with it.</summary>
public sealed class AdminApiTests : IDisposable
{
    private const string Key = "test-admin-key-4f9c2a7e81";
    private readonly FieldOpsFactory _factory = new(new Dictionary<string, string?> { ["Admin:ApiKey"] = Key });

    private HttpClient Client(string? key = Key)
    {
        var client = _factory.CreateClient();
        if (key is not null)
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("test-admin-key-4f9c2a7e8")]
    [InlineData("test-admin-key-4f9c2a7e810")]
    public async Task Admin_WithoutTheRightKey_Is401WithAJsonError(string? key)
    {
        using var client = Client(key);
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/admin/deadletters"), (HttpMethod.Post, "/admin/deadletters/x/replay"), (HttpMethod.Post, "/admin/events/1/reroute") })
        {
            using var response = await client.SendAsync(new HttpRequestMessage(method, path));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("unauthorized", body.GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task Admin_WithKey_ListsGroupsShowsReplaysAndDiscards()
    {
        using var client = Client();
        var (eventId, ids) = await DeadLetterSeed.AddAsync(_factory.DatabasePath, "Permanent", rows: 2);
        var (_, others) = await DeadLetterSeed.AddAsync(_factory.DatabasePath, "Transient", rows: 1);

        var list = await client.GetFromJsonAsync<JsonElement>("/admin/deadletters?connector=offline&class=Permanent");
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(ids[0], item.GetProperty("id").GetString());
        var groups = (await client.GetFromJsonAsync<JsonElement>("/admin/deadletters/groups")).GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(2, groups.Count);
        Assert.All(groups, g => Assert.Equal(1, g.GetProperty("count").GetInt64()));

        var shown = await client.GetFromJsonAsync<JsonElement>($"/admin/deadletters/{ids[0]}");
        Assert.Equal(eventId, shown.GetProperty("event").GetProperty("id").GetInt64());
        Assert.Equal(2, shown.GetProperty("event").GetProperty("operations").GetArrayLength());
        Assert.Equal("mappings/flows/things.yaml", shown.GetProperty("operation").GetProperty("sourceFile").GetString());

        using (var noReason = await client.PostAsJsonAsync($"/admin/deadletters/{ids[0]}/discard", new { }))
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        using (var discard = await client.PostAsJsonAsync($"/admin/deadletters/{ids[0]}/discard", new { reason = "duplicate customer" }))
            Assert.Equal(HttpStatusCode.OK, discard.StatusCode);
        Assert.Equal("discarded", DeadLetterSeed.State(_factory.DatabasePath, ids[0]));
        Assert.Equal("pending", DeadLetterSeed.State(_factory.DatabasePath, ids[1]));

        using (var unfiltered = await client.PostAsync("/admin/deadletters/replay", null))
            Assert.Equal(HttpStatusCode.BadRequest, unfiltered.StatusCode);
        using (var bulk = await client.PostAsync("/admin/deadletters/replay?class=Transient", null))
            Assert.Equal(1, (await bulk.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32());
        Assert.Equal("pending", DeadLetterSeed.State(_factory.DatabasePath, others[0]));
        using (var again = await client.PostAsync($"/admin/deadletters/{others[0]}/replay", null))
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        using var reroute = await client.PostAsync("/admin/events/999999/reroute?dryRun=true", null);
        Assert.Equal(HttpStatusCode.NotFound, reroute.StatusCode);
        Assert.Equal("NotFound", (await reroute.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result").GetString());
    }

    [Fact]
    public async Task Admin_NoKeyConfigured_IsOffAndSaysHowToTurnItOn()
    {
        using var factory = new FieldOpsFactory();
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/admin/deadletters", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Admin__ApiKey", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public void Dispose() => _factory.Dispose();
}
