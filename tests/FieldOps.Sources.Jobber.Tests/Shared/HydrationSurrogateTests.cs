using System.Text.Json.Nodes;
using Dapper;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Storage.Tests.Infrastructure;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Sources.Jobber.Tests.Shared;

/// <summary>
/// Half a UTF-16 surrogate pair in what Jobber answers a hydration fetch, written as JavaScript's <c>JSON.stringify</c>
/// writes it (<c>\ud83d</c>): a job's title cut through an emoji, or an error message quoting such a text. System.Text.Json
/// reads the answer but not that string, nor writes it back; on SQLite and PostgreSQL.
/// </summary>
public sealed class HydrationSurrogateTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);
    private readonly WireMockServer _jobber = WireMockServer.Start();
    private readonly string _keys = Path.Combine(Path.GetTempPath(), "fieldops-jobber-tests", Guid.NewGuid().ToString("N"));
    private HydrationProcess? _process;
    private TestDatabase _database = null!;

    public HydrationSurrogateTests()
    {
        _jobber.Given(Request.Create().WithPath("/oauth/token").UsingPost())
            .RespondWith(Json("""{"access_token":"access-1","refresh_token":"refresh-2","expires_in":3600}"""));
    }

    [Fact]
    public Task Hydrate_RecordHoldsHalfAPair_IsHydratedWithTheReplacementCharacter_Sqlite() => RecordAsync(new SqliteTestDatabase());

    [PostgresFact]
    public Task Hydrate_RecordHoldsHalfAPair_IsHydratedWithTheReplacementCharacter_Postgres() => RecordAsync(new PostgresTestDatabase());

    [Fact]
    public Task Hydrate_ErrorQuotesHalfAPair_IsRecordedReadably_Sqlite() => ErrorAsync(new SqliteTestDatabase());

    [PostgresFact]
    public Task Hydrate_ErrorQuotesHalfAPair_IsRecordedReadably_Postgres() => ErrorAsync(new PostgresTestDatabase());

    [Fact]
    public Task Hydrate_TokenRefusalQuotesHalfAPair_ConnectionRecordedBroken_Sqlite() => RefusalAsync(new SqliteTestDatabase());

    [PostgresFact]
    public Task Hydrate_TokenRefusalQuotesHalfAPair_ConnectionRecordedBroken_Postgres() => RefusalAsync(new PostgresTestDatabase());

    // Before: the answer parsed, but writing the record into the event's payload threw, and the event never left
    // awaiting hydration. Now each half reads as U+FFFD, as the router reads a payload, and the event routes.
    private async Task RecordAsync(TestDatabase database)
    {
        _jobber.Given(GraphQL("JOB-H")).RespondWith(Json("""
            {"data":{"job":{"id":"JOB-H","title":"Boiler \ud83d","instructions":"Ring twice \ud83d\ude00 then \ude00 wait","updatedAt":"2026-12-04T21:59:00Z"}}}
            """));
        await StartAsync(database);
        await AddAwaitingAsync("JOB-H");

        await WaitSettledAsync();

        var (state, reason, payload) = await SingleAsync();
        Assert.Equal((InboxEventState.New, (string?)null), (state, reason));
        var record = JsonNode.Parse(payload!)!["record"]!;
        Assert.Equal("Boiler \uFFFD", record["title"]!.GetValue<string>());
        Assert.Equal("Ring twice \U0001F600 then \uFFFD wait", record["instructions"]!.GetValue<string>());
    }

    // Before: reading the error's message threw System.Text.Json's own error, which was recorded instead of Jobber's.
    private async Task ErrorAsync(TestDatabase database)
    {
        _jobber.Given(GraphQL("JOB-E")).RespondWith(Json("""{"errors":[{"message":"no client named \"Caf\ud83d\" found"}]}"""));
        await StartAsync(database);
        await AddAwaitingAsync("JOB-E");

        await WaitSettledAsync();

        const string Quoted = "Jobber GraphQL error: no client named \"Caf\uFFFD\" found";
        var (state, reason, _) = await SingleAsync();
        Assert.Equal((InboxEventState.Unmatched, $"hydration failed after 2 attempts: {Quoted}"), (state, reason));
        await using var connection = await _database.Connections.OpenAsync(CancellationToken.None);
        Assert.Equal($"Job JOB-E: {Quoted}", await connection.QuerySingleAsync<string?>("SELECT hydration_last_error FROM source_watermark WHERE source = 'jobber'"));
    }

    // Before: reading the refusal's description threw, so the refusal was not known as one: the connection was not
    // recorded broken, and each fetch called the token endpoint again, the event failing with System.Text.Json's error.
    private async Task RefusalAsync(TestDatabase database)
    {
        _jobber.ResetMappings();
        _jobber.Given(Request.Create().WithPath("/oauth/token").UsingPost()).RespondWith(Response.Create().WithStatusCode(400)
            .WithHeader("Content-Type", "application/json").WithBody("""{"error":"invalid_grant","error_description":"token of Caf\ud83d revoked"}"""));
        await StartAsync(database);
        await AddAwaitingAsync("JOB-T");

        await WaitSettledAsync();

        var (state, reason, _) = await SingleAsync();
        Assert.Equal(InboxEventState.Unmatched, state);
        Assert.Contains("is broken: invalid_grant: token of Caf\uFFFD revoked", reason, StringComparison.Ordinal);
        await using var connection = await _database.Connections.OpenAsync(CancellationToken.None);
        Assert.Equal("invalid_grant: token of Caf\uFFFD revoked", await connection.QuerySingleAsync<string?>("SELECT broken_reason FROM credential"));
        Assert.Single(_jobber.LogEntries, e => e.RequestMessage.Path == "/oauth/token");
    }

    private async Task StartAsync(TestDatabase database)
    {
        _database = await database.InitializeAsync();
        var store = new Dictionary<string, string?>
        {
            ["Store:Provider"] = _database.Options.Provider.ToString(),
            ["Store:ConnectionString"] = _database.Options.ConnectionString,
        };
        _process = await HydrationProcess.StartAsync(store, new Uri(_jobber.Url + "/"), _keys, new Dictionary<string, string?>
        {
            ["Hydration:Debounce"] = "00:00:00",
            ["Hydration:RetryDelay"] = "00:00:00.200",
            ["Hydration:MaxAttempts"] = "2",
        }, true);
    }

    private async Task AddAwaitingAsync(string job)
    {
        var body = new JsonObject
        {
            ["data"] = new JsonObject { ["webHookEvent"] = new JsonObject { ["topic"] = "JOB_CLOSED", ["itemId"] = job, ["occurredAt"] = "2026-12-04T22:00:00Z" } },
        }.ToJsonString();
        await using var connection = await _database.Connections.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(_database.Connections.Dialect.InsertReturning("inbox",
                ["source", "dedup_key", "received_at", "headers", "body", "state"], ["'jobber'", "@key", "1", "'{}'", "@body", "@state"], "id"),
            new { key = job, body = System.Text.Encoding.UTF8.GetBytes(body), state = InboxEventState.AwaitingHydration });
    }

    private async Task<(string State, string? Reason, string? Payload)> SingleAsync()
    {
        await using var connection = await _database.Connections.OpenAsync(CancellationToken.None);
        return await connection.QuerySingleAsync<(string, string?, string?)>("SELECT state, state_reason, payload FROM inbox");
    }

    private async Task WaitSettledAsync()
    {
        var deadline = DateTime.UtcNow + Patience;
        while ((await SingleAsync()).State == InboxEventState.AwaitingHydration)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the event still awaits hydration after {Patience}");
            await Task.Delay(50);
        }
    }

    private static IRequestBuilder GraphQL(string job) =>
        Request.Create().WithPath("/graphql").UsingPost().WithBody(new WildcardMatcher($"*\"id\":\"{job}\"*"));

    private static IResponseBuilder Json(string body) => Response.Create().WithHeader("Content-Type", "application/json").WithBody(body);

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
            await _process.DisposeAsync();
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
