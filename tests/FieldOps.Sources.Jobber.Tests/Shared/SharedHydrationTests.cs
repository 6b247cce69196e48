using System.Text.Json.Nodes;
using Dapper;
using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Storage.Tests.Infrastructure;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Sources.Jobber.Tests.Shared;

/// <summary>
/// Issue 23: hydration shared by several processes on one database (SQLite and PostgreSQL). Each process is a
/// <see cref="HydrationProcess"/> with its own container, pool and instance id; Jobber is a loopback WireMock.Net
/// stand-in whose request log counts fetches per entity. Events are written the router's way (awaiting hydration).
/// </summary>
public sealed class SharedHydrationTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);
    private readonly WireMockServer _jobber = WireMockServer.Start();
    private readonly string _keys = Path.Combine(Path.GetTempPath(), "fieldops-jobber-tests", Guid.NewGuid().ToString("N"));
    private readonly List<HydrationProcess> _processes = [];
    private TestDatabase _database = null!;
    private long _dedup;

    public SharedHydrationTests()
    {
        _jobber.Given(Request.Create().WithPath("/oauth/token").UsingPost())
            .RespondWith(Json("""{"access_token":"access-1","refresh_token":"refresh-2","expires_in":3600}"""));
    }

    [Fact]
    public Task Hydrate_BurstsSpreadOverTwoProcesses_EachEntityFetchedOnce_Sqlite() => BurstsAsync(new SqliteTestDatabase());

    [PostgresFact]
    public Task Hydrate_BurstsSpreadOverTwoProcesses_EachEntityFetchedOnce_Postgres() => BurstsAsync(new PostgresTestDatabase());

    [Fact]
    public Task Hydrate_EntityLeasedByAProcessThatDied_FetchedBySurvivorOnceTheLeaseExpires_Sqlite() => DeadLeaseAsync(new SqliteTestDatabase());

    [PostgresFact]
    public Task Hydrate_EntityLeasedByAProcessThatDied_FetchedBySurvivorOnceTheLeaseExpires_Postgres() => DeadLeaseAsync(new PostgresTestDatabase());

    [Fact]
    public Task Hydrate_ThrottledInOneProcess_AnotherProcessWaitsOutThePause_Sqlite() => ThrottleAsync(new SqliteTestDatabase());

    [PostgresFact]
    public Task Hydrate_ThrottledInOneProcess_AnotherProcessWaitsOutThePause_Postgres() => ThrottleAsync(new PostgresTestDatabase());

    [Fact]
    public Task Hydrate_FailingEntityTwoProcesses_EventGivesUpAfterMaxAttemptsInAll_Sqlite() => FailingAsync(new SqliteTestDatabase());

    [PostgresFact]
    public Task Hydrate_FailingEntityTwoProcesses_EventGivesUpAfterMaxAttemptsInAll_Postgres() => FailingAsync(new PostgresTestDatabase());

    [Fact]
    public Task Hydrate_VendorErrorQuotingNul_RecordedEscapedAndTheNextEventHydrates_Sqlite() => NulErrorAsync(new SqliteTestDatabase());

    [PostgresFact]
    public Task Hydrate_VendorErrorQuotingNul_RecordedEscapedAndTheNextEventHydrates_Postgres() => NulErrorAsync(new PostgresTestDatabase());

    [Fact]
    public Task Hydrate_TokenRefusalQuotingNul_ConnectionRecordedBrokenEscaped_Sqlite() => NulRefusalAsync(new SqliteTestDatabase());

    [PostgresFact]
    public Task Hydrate_TokenRefusalQuotingNul_ConnectionRecordedBrokenEscaped_Postgres() => NulRefusalAsync(new PostgresTestDatabase());

    // Ten updates to each of six jobs within the debounce, arriving while two processes run: one fetch per job in all.
    private async Task BurstsAsync(TestDatabase database)
    {
        var jobs = Enumerable.Range(1, 6).Select(i => $"JOB-{i}").ToList();
        jobs.ForEach(Serve);
        await StartAsync(database, 2, new() { ["Hydration:Debounce"] = "00:00:01", ["Hydration:MaxDelay"] = "00:00:05" });

        for (var round = 0; round < 10; round++)
        {
            foreach (var job in jobs)
                await AddAwaitingAsync(job);
            await Task.Delay(20);
        }
        await WaitSettledAsync();

        Assert.All(jobs, job => Assert.Equal(1, Fetches(job)));
        Assert.Equal(jobs.Count, _processes.Sum(p => p.Hydration.Fetches));
        var states = await StatesAsync();
        Assert.Equal(60, states.Count);
        Assert.Equal(jobs.Count, states.Count(s => s == InboxEventState.New)); // one per job; the rest are its duplicates
        Assert.Equal(54, states.Count(s => s == InboxEventState.Stale));
    }

    private async Task DeadLeaseAsync(TestDatabase database)
    {
        Serve("JOB-9");
        await StartAsync(database, 1, new(), run: false);
        var store = _processes[0].Store;
        var id = await AddAwaitingAsync("JOB-9");
        await store.RegisterAsync([new HydrationRegistration(id, new HydrationRequest("jobber", "Job", "JOB-9", "JOB_CLOSED"))],
            new HydrationWindow(TimeSpan.Zero, TimeSpan.Zero), DateTimeOffset.UtcNow, CancellationToken.None);
        // A process claimed the job for 2 s and died (no fetch, no release): nobody may fetch until its lease runs out.
        var claimedAt = DateTimeOffset.UtcNow;
        Assert.Single(await store.ClaimAsync(["jobber"], 1, "dead-process", claimedAt, TimeSpan.FromSeconds(2), CancellationToken.None));

        await _processes[0].RunAsync();
        await WaitSettledAsync();

        var call = Assert.Single(Calls("JOB-9"));
        Assert.True(call >= claimedAt.UtcDateTime.AddSeconds(1.9), $"fetched at {call:O}, before the dead process's lease (from {claimedAt:O}) ran out");
        Assert.Equal([InboxEventState.New], await StatesAsync());
    }

    private async Task ThrottleAsync(TestDatabase database)
    {
        // JOB-A's first query is THROTTLED, (1900 - 400) / 500 = 3 s of refill; JOB-B would be served at once.
        _jobber.Given(GraphQL("JOB-A")).InScenario("throttle").WillSetStateTo("refilled").RespondWith(Json("""
            {"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],
             "extensions":{"cost":{"requestedQueryCost":1900,"actualQueryCost":0,"throttleStatus":{"maximumAvailable":10000,"currentlyAvailable":400,"restoreRate":500}}}}
            """));
        _jobber.Given(GraphQL("JOB-A")).InScenario("throttle").WhenStateIs("refilled").RespondWith(Json(Answer("JOB-A")));
        Serve("JOB-B");
        var window = new Dictionary<string, string?> { ["Hydration:Debounce"] = "00:00:00" };
        await StartAsync(database, 1, window);
        await AddAwaitingAsync("JOB-A");
        await WaitForAsync(async () => await _processes[0].Store.GetSourcePauseAsync("jobber", CancellationToken.None) is not null);
        var pausedUntil = (await _processes[0].Store.GetSourcePauseAsync("jobber", CancellationToken.None))!.Value;
        // The process that saw the throttle stops; another one, which never saw it, gets new work for the source.
        await _processes[0].StopAsync();
        await StartMoreAsync(1, window);
        await AddAwaitingAsync("JOB-B");

        await WaitSettledAsync();

        Assert.Equal(2, Fetches("JOB-A"));
        Assert.Equal(1, Fetches("JOB-B"));
        var afterThrottle = Calls("JOB-A").Skip(1).Concat(Calls("JOB-B")).ToList();
        Assert.All(afterThrottle, at => Assert.True(at >= pausedUntil.UtcDateTime.AddMilliseconds(-100),
            $"fetched at {at:O}, inside the pause until {pausedUntil:O}"));
        Assert.Equal([InboxEventState.New, InboxEventState.New], await StatesAsync());
    }

    private async Task FailingAsync(TestDatabase database)
    {
        _jobber.Given(GraphQL("JOB-F")).RespondWith(Response.Create().WithStatusCode(500).WithBody("""{"message":"Internal Server Error"}"""));
        await StartAsync(database, 2, new()
        {
            ["Hydration:Debounce"] = "00:00:00",
            ["Hydration:RetryDelay"] = "00:00:00.200",
            ["Hydration:MaxAttempts"] = "3",
        });
        await AddAwaitingAsync("JOB-F");

        await WaitSettledAsync();
        await Task.Delay(TimeSpan.FromSeconds(1)); // a second process counting its own attempts would fetch again

        Assert.Equal(3, Fetches("JOB-F"));
        var (state, reason) = await SingleStateAsync();
        Assert.Equal(InboxEventState.Unmatched, state);
        Assert.StartsWith("hydration failed after 3 attempts:", reason, StringComparison.Ordinal);
    }

    // PostgreSQL's text cannot hold a NUL: the error quoting Jobber's message is recorded with it written as \u0000.
    private async Task NulErrorAsync(TestDatabase database)
    {
        _jobber.Given(GraphQL("JOB-N")).RespondWith(Json("""{"errors":[{"message":"no client \u0000 found"}]}"""));
        Serve("JOB-OK");
        await StartAsync(database, 1, new()
        {
            ["Hydration:Debounce"] = "00:00:00",
            ["Hydration:RetryDelay"] = "00:00:00.200",
            ["Hydration:MaxAttempts"] = "2",
        });
        await AddAwaitingAsync("JOB-N");

        await WaitSettledAsync();

        const string Quoted = @"Jobber GraphQL error: no client \u0000 found";
        var (state, reason) = await SingleStateAsync();
        Assert.Equal(InboxEventState.Unmatched, state);
        Assert.Equal($"hydration failed after 2 attempts: {Quoted}", reason);
        await using (var connection = await _database.Connections.OpenAsync(CancellationToken.None))
        {
            Assert.Equal($"Job JOB-N: {Quoted}",
                await connection.QuerySingleAsync<string?>("SELECT hydration_last_error FROM source_watermark WHERE source = 'jobber'"));
        }
        await AddAwaitingAsync("JOB-OK");
        await WaitSettledAsync();
        Assert.Equal([InboxEventState.Unmatched, InboxEventState.New], await StatesAsync());
        Assert.Equal(2, Fetches("JOB-N")); // given up: not fetched again
        Assert.DoesNotContain(_processes[0].Warnings, w => w.Contains("cannot reach the store", StringComparison.Ordinal));
    }

    // The refusal is stored as the connection's broken reason: tried once, not at every fetch, and quoted escaped.
    private async Task NulRefusalAsync(TestDatabase database)
    {
        _jobber.ResetMappings();
        _jobber.Given(Request.Create().WithPath("/oauth/token").UsingPost()).RespondWith(Response.Create().WithStatusCode(400)
            .WithHeader("Content-Type", "application/json").WithBody("""{"error":"invalid_grant","error_description":"token \u0000 revoked"}"""));
        await StartAsync(database, 1, new() { ["Hydration:Debounce"] = "00:00:00", ["Hydration:RetryDelay"] = "00:00:00.200", ["Hydration:MaxAttempts"] = "2" });
        await AddAwaitingAsync("JOB-T");

        await WaitSettledAsync();

        var (state, reason) = await SingleStateAsync();
        Assert.Equal(InboxEventState.Unmatched, state);
        Assert.Contains(@"is broken: invalid_grant: token \u0000 revoked", reason, StringComparison.Ordinal);
        await using var connection = await _database.Connections.OpenAsync(CancellationToken.None);
        Assert.Equal(@"invalid_grant: token \u0000 revoked", await connection.QuerySingleAsync<string?>("SELECT broken_reason FROM credential"));
        Assert.Single(_jobber.LogEntries, e => e.RequestMessage.Path == "/oauth/token");
    }

    private async Task StartAsync(TestDatabase database, int count, Dictionary<string, string?> hydration, bool run = true)
    {
        _database = await database.InitializeAsync();
        await StartMoreAsync(count, hydration, run);
    }

    private async Task StartMoreAsync(int count, Dictionary<string, string?> hydration, bool run = true)
    {
        var store = new Dictionary<string, string?>
        {
            ["Store:Provider"] = _database.Options.Provider.ToString(),
            ["Store:ConnectionString"] = _database.Options.ConnectionString,
        };
        for (var i = 0; i < count; i++)
            _processes.Add(await HydrationProcess.StartAsync(store, new Uri(_jobber.Url + "/"), _keys, hydration, run));
    }

    private void Serve(string job) => _jobber.Given(GraphQL(job)).RespondWith(Json(Answer(job)));

    private int Fetches(string job) => Calls(job).Count;

    private List<DateTime> Calls(string job) => _jobber.LogEntries
        .Where(e => e.RequestMessage.Path == "/graphql" && e.RequestMessage.Body?.Contains($"\"id\":\"{job}\"", StringComparison.Ordinal) == true)
        .Select(e => e.RequestMessage.DateTime.ToUniversalTime()).OrderBy(t => t).ToList();

    private async Task<long> AddAwaitingAsync(string job)
    {
        var body = new JsonObject
        {
            ["data"] = new JsonObject { ["webHookEvent"] = new JsonObject { ["topic"] = "JOB_CLOSED", ["itemId"] = job, ["occurredAt"] = "2026-12-04T22:00:00Z" } },
        }.ToJsonString();
        await using var connection = await _database.Connections.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>(_database.Connections.Dialect.InsertReturning("inbox",
                ["source", "dedup_key", "received_at", "headers", "body", "state"], ["'jobber'", "@key", "1", "'{}'", "@body", "@state"], "id"),
            new { key = $"{job}-{Interlocked.Increment(ref _dedup)}", body = System.Text.Encoding.UTF8.GetBytes(body), state = InboxEventState.AwaitingHydration });
    }

    private async Task<List<string>> StatesAsync()
    {
        await using var connection = await _database.Connections.OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<string>("SELECT state FROM inbox ORDER BY id")).ToList();
    }

    private async Task<(string State, string? Reason)> SingleStateAsync()
    {
        await using var connection = await _database.Connections.OpenAsync(CancellationToken.None);
        return await connection.QuerySingleAsync<(string, string?)>("SELECT state, state_reason FROM inbox");
    }

    private Task WaitSettledAsync() => WaitForAsync(async () => (await StatesAsync()).All(s => s != InboxEventState.AwaitingHydration));

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"not reached within {Patience}");
            await Task.Delay(50);
        }
    }

    private static IRequestBuilder GraphQL(string job) =>
        Request.Create().WithPath("/graphql").UsingPost().WithBody(new WildcardMatcher($"*\"id\":\"{job}\"*"));

    private static string Answer(string job) => new JsonObject
    {
        ["data"] = new JsonObject { ["job"] = new JsonObject { ["id"] = job, ["updatedAt"] = "2026-12-04T21:59:00Z" } },
        ["extensions"] = JsonNode.Parse("""{"cost":{"requestedQueryCost":48,"actualQueryCost":20,"throttleStatus":{"maximumAvailable":10000,"currentlyAvailable":9980,"restoreRate":500}}}"""),
    }.ToJsonString();

    private static IResponseBuilder Json(string body) => Response.Create().WithHeader("Content-Type", "application/json").WithBody(body);

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
            await process.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
        _jobber.Stop();
        try
        {
            Directory.Delete(_keys, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
