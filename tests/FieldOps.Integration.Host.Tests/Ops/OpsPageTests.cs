using System.Net;
using Dapper;
using FieldOps.Integration.Host.Tests.Admin;
using FieldOps.Integration.Host.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace FieldOps.Integration.Host.Tests.Ops;

/// <summary>The operations page through the real host: off by default, nothing without the cookie, login, overview and event lookup.</summary>
public sealed class OpsPageTests : IDisposable
{
    private static readonly string[] Routes = ["/ops", "/ops/deadletters", "/ops/events?q=1"];
    private static readonly string[] PostRoutes = ["/ops/logout", "/ops/deadletters/replay", "/ops/sources/acme/rewind", "/ops/events/1/reroute"];
    private readonly FieldOpsFactory _factory = new(OpsClient.Settings);

    [Fact]
    public async Task Ops_NotEnabled_Is404()
    {
        using var factory = new FieldOpsFactory(new Dictionary<string, string?> { ["Admin:ApiKey"] = OpsClient.Key });
        using var client = new OpsClient(factory);
        foreach (var path in Routes.Append("/ops/login"))
        {
            using var response = await client.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task Ops_EveryRouteWithoutTheCookie_RedirectsToLogin_EvenWithTheKeyHeader()
    {
        using var client = new OpsClient(_factory);
        client.Http.DefaultRequestHeaders.Add("X-Api-Key", OpsClient.Key);
        var (_, ids) = await DeadLetterSeed.AddAsync(_factory.DatabasePath);
        var gets = Routes.Concat(["/ops/audit", "/ops/events/1/reroute", "/ops/sources/acme/rewind", $"/ops/deadletters/{ids[0]}/replay"]).Select(r => (HttpMethod.Get, r));
        var posts = PostRoutes.Concat([$"/ops/deadletters/{ids[0]}/replay", $"/ops/deadletters/{ids[0]}/discard"]).Select(p => (HttpMethod.Post, p));
        foreach (var (method, path) in gets.Concat(posts))
        {
            using var response = await client.Http.SendAsync(new HttpRequestMessage(method, path) { Content = method == HttpMethod.Post ? OpsClient.Form() : null });
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{method} {path}: {response.StatusCode}");
            Assert.StartsWith("/ops/login", response.Headers.Location?.PathAndQuery ?? response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }
        Assert.Equal("dead", DeadLetterSeed.State(_factory.DatabasePath, ids[0]));
    }

    [Fact]
    public async Task Login_WrongKey_Is401AndSetsNoSessionCookie()
    {
        using var client = new OpsClient(_factory);
        using var response = await client.LoginAsync(key: "not-the-admin-key-000");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var c) ? c : [], v => v.StartsWith("fieldops_ops=", StringComparison.Ordinal));
        using var overview = await client.Http.GetAsync("/ops");
        Assert.Equal(HttpStatusCode.Redirect, overview.StatusCode);
    }

    [Fact]
    public async Task Login_WithoutTheAntiforgeryToken_IsRefused()
    {
        using var client = new OpsClient(_factory);
        using var response = await client.Http.PostAsync("/ops/login", OpsClient.Form(("operator", "x"), ("key", OpsClient.Key)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Login_RightKey_SetsAnHttpOnlyStrictCookie_AndTheOverviewShowsTheGroups()
    {
        using var client = new OpsClient(_factory);
        using var login = await client.LoginAsync();
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"), v => v.StartsWith("fieldops_ops=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", cookie, StringComparison.Ordinal);
        Assert.DoesNotContain(OpsClient.Key, login.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);

        await DeadLetterSeed.AddAsync(_factory.DatabasePath, "Permanent");
        await DeadLetterSeed.AddAsync(_factory.DatabasePath, "Permanent");
        var html = await client.Http.GetStringAsync("/ops");
        Assert.Contains("<td>offline</td><td>customer-things</td><td>Permanent</td>", html, StringComparison.Ordinal);
        Assert.Contains("?connector=offline&amp;flow=customer-things&amp;class=Permanent\">2</a>", html, StringComparison.Ordinal);
        Assert.Contains("Permanent: name is not allowed", html, StringComparison.Ordinal);
        Assert.Contains("<td>jobber</td>", html, StringComparison.Ordinal);
        Assert.Contains("Log out Dana Admin", html, StringComparison.Ordinal);
        var list = await client.Http.GetStringAsync("/ops/deadletters?connector=offline&class=Permanent");
        Assert.Equal(2, list.Split("Permanent: name is not allowed").Length - 1);
    }

    [Fact]
    public async Task Events_FoundByEventIdTargetIdAndEntityId_ShowTheWholeLife()
    {
        using var client = new OpsClient(_factory);
        (await client.LoginAsync()).Dispose();
        var (eventId, ids) = await DeadLetterSeed.AddAsync(_factory.DatabasePath, "Permanent");
        await using (var db = new SqliteConnection($"Data Source={_factory.DatabasePath};Pooling=False"))
        {
            await db.ExecuteAsync("UPDATE outbox SET target_id = 'QB-58', xref_source_id = 'client-42' WHERE id = @id", new { id = ids[1] });
            await db.ExecuteAsync(
                "INSERT INTO outbox_attempt (outbox_id, attempt, started_at, duration_ms, outcome, status_code, message) VALUES (@id, 1, 1500, 12, 'Permanent', 400, 'Name is required')",
                new { id = ids[0] });
        }
        foreach (var term in new[] { eventId.ToString(System.Globalization.CultureInfo.InvariantCulture), "QB-58", "client-42" })
        {
            var html = await client.Http.GetStringAsync($"/ops/events?q={term}");
            Assert.Contains($"<h1>Event {eventId}</h1>", html, StringComparison.Ordinal);
            var inbox = html.IndexOf("<h2>Inbox</h2>", StringComparison.Ordinal);
            var operations = html.IndexOf("<h2>Operations</h2>", StringComparison.Ordinal);
            var attempts = html.IndexOf("<h2>Attempts</h2>", StringComparison.Ordinal);
            var result = html.IndexOf("<h2>Result</h2>", StringComparison.Ordinal);
            Assert.True(inbox > 0 && inbox < operations && operations < attempts && attempts < result, term);
            Assert.Contains("Name is required", html, StringComparison.Ordinal);
            Assert.Contains("1 dead, 1 blocked", html, StringComparison.Ordinal);
            // Every key of one event begins with the event's id: an attempt names its operation by the key's end.
            Assert.Contains($"<code>{ids[0][^12..]}</code>", html[attempts..result], StringComparison.Ordinal);
        }
        using var missing = await client.Http.GetAsync("/ops/events?q=nothing-like-this");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Overview_DrawsTheLastHoursAttemptsPerConnectorAsSvg()
    {
        using var client = new OpsClient(_factory);
        (await client.LoginAsync()).Dispose();
        var (_, ids) = await DeadLetterSeed.AddAsync(_factory.DatabasePath);
        var recent = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds();
        var old = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeMilliseconds();
        await using (var db = new SqliteConnection($"Data Source={_factory.DatabasePath};Pooling=False"))
        {
            foreach (var (outcome, at) in new[] { ("Delivered", recent), ("Transient", recent), ("Permanent", recent), ("Delivered", old) })
            {
                await db.ExecuteAsync("INSERT INTO outbox_attempt (outbox_id, attempt, started_at, duration_ms, outcome) VALUES (@id, 1, @at, 5, @outcome)",
                    new { id = ids[0], at, outcome });
            }
        }
        var html = await client.Http.GetStringAsync("/ops");
        Assert.Contains("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"offline, last hour in 5-minute slices: 1 delivered, 2 failed attempts\"",
            html, StringComparison.Ordinal);
        Assert.Contains(": 1 delivered</title></rect>", html, StringComparison.Ordinal);
        Assert.Contains(": 2 failed</title></rect>", html, StringComparison.Ordinal);
    }

    public void Dispose() => _factory.Dispose();
}
