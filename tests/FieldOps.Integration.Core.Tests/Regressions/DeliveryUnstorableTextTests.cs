using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Tests.Support;
using FieldOps.Integration.Storage.Tests.Infrastructure;
using FieldOps.Integration.Testing.Stores;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Integration.Core.Tests.Regressions;

/// <summary>
/// A target's answer holding a NUL character — a decoded one in the id it returns, a raw one in an error body — is
/// recorded with the NUL written as <c>\u0000</c>, and the call is made once. On PostgreSQL (text cannot hold a NUL) the
/// write-back recording the call failed at every try: the row was never recorded delivered or dead.
/// A target's answer holding half a UTF-16 surrogate pair (a JSON escape such as <c>\ud83d</c>: an emoji cut in two), an
/// emoji where a long error body is cut, or bytes that are not UTF-8, through the generic HTTP connector, the dispatcher
/// and the write-back on SQLite and PostgreSQL. Each call is made once and recorded; an id that is not the target's exact
/// text is shown, never kept as a cross-reference. Before: the id with half a pair threw InvalidOperationException out
/// of the connector, retried as transient at every attempt (the target called again each time) until dead; an id with
/// an invalid byte was kept as a cross-reference with U+FFFD in it; the error text was cut through the emoji (stored as
/// <c>\ud83d</c>).
/// </summary>
public sealed class DeliveryUnstorableTextTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly WireMockServer _target = WireMockServer.Start();
    private readonly string _keys = Path.Combine(Path.GetTempPath(), "fieldops-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public Task Deliver_AnswerHoldsANul_IsRecordedEscapedAndCalledOnce_Sqlite() => NulAsync(new SqliteTestDatabase());

    [PostgresFact]
    public Task Deliver_AnswerHoldsANul_IsRecordedEscapedAndCalledOnce_Postgres() => NulAsync(new PostgresTestDatabase());

    [Fact]
    public Task Deliver_IdHoldsHalfASurrogatePair_IsDeliveredOnceAndNotKeptAsCrossReference_Sqlite() => IdWithHalfPairAsync(new SqliteTestDatabase());

    [PostgresFact]
    public Task Deliver_IdHoldsHalfASurrogatePair_IsDeliveredOnceAndNotKeptAsCrossReference_Postgres() => IdWithHalfPairAsync(new PostgresTestDatabase());

    [Fact]
    public Task Deliver_IdHoldsInvalidUtf8_IsDeliveredOnceAndNotKeptAsCrossReference_Sqlite() => IdWithInvalidUtf8Async(new SqliteTestDatabase());

    [PostgresFact]
    public Task Deliver_IdHoldsInvalidUtf8_IsDeliveredOnceAndNotKeptAsCrossReference_Postgres() => IdWithInvalidUtf8Async(new PostgresTestDatabase());

    [Fact]
    public Task Deliver_ErrorBodiesWithHalfPairsEmojiAtTheCutOrInvalidUtf8_AreDeadOnceWithTheirText_Sqlite() => ErrorsAsync(new SqliteTestDatabase());

    [PostgresFact]
    public Task Deliver_ErrorBodiesWithHalfPairsEmojiAtTheCutOrInvalidUtf8_AreDeadOnceWithTheirText_Postgres() => ErrorsAsync(new PostgresTestDatabase());

    private async Task NulAsync(TestDatabase database)
    {
        await using var db = await database.InitializeAsync();
        _target.Given(Request.Create().WithPath("/things/made-1").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("{\"id\":\"T\\u0000-1\"}"));
        _target.Given(Request.Create().WithPath("/things/refused-1").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(422).WithBody("name is not valid: \0 found"));
        var rows = await TestRows.AddAsync(db.Connections, Thing("made-1", "p1") with { XrefSourceId = "J-1" }, Thing("refused-1", "p2"));
        await using var dispatcher = await StartAsync(db);

        await DispatcherHarness.WaitForAsync(async () => await dispatcher.StateAsync(rows[0].Id) == OutboxStates.Delivered
            && await dispatcher.StateAsync(rows[1].Id) == OutboxStates.Dead, Patience);

        Assert.Equal(2, _target.LogEntries.Count(e => e.RequestMessage.Method == "PUT"));
        var made = (await dispatcher.Outbox.GetStatusAsync(rows[0].Id, CancellationToken.None))!;
        Assert.Equal("T\\u0000-1", made.TargetId);
        // Escaped, the id is not the vendor's: not kept as a cross-reference (an upsert by it would make a second record).
        Assert.StartsWith("the target answered an id holding a NUL character", made.LastError, StringComparison.Ordinal);
        Assert.Empty(await TargetIdsAsync(db));
        var attempt = Assert.Single(await dispatcher.Outbox.GetAttemptsAsync(rows[1].Id, CancellationToken.None));
        Assert.Contains("\\u0000 found", attempt.ResponseExcerpt, StringComparison.Ordinal);
    }

    private async Task IdWithHalfPairAsync(TestDatabase database)
    {
        await using var db = await database.InitializeAsync();
        Answer("made-1", 200, "{\"id\":\"T\\ud83d-1\"}");
        Answer("plain-1", 200, "{\"id\":\"P-1\"}");
        var rows = await TestRows.AddAsync(db.Connections, Thing("made-1", "p1") with { XrefSourceId = "J-1" }, Thing("plain-1", "p2") with { XrefSourceId = "J-2" });
        await using var dispatcher = await StartAsync(db);

        await DispatcherHarness.WaitForAsync(async () => await dispatcher.StateAsync(rows[0].Id) == OutboxStates.Delivered
            && await dispatcher.StateAsync(rows[1].Id) == OutboxStates.Delivered, Patience);

        Assert.Equal(1, Calls("made-1"));
        var made = (await dispatcher.Outbox.GetStatusAsync(rows[0].Id, CancellationToken.None))!;
        Assert.Equal("T\uFFFD-1", made.TargetId);
        Assert.Contains("not kept as a cross-reference", made.LastError, StringComparison.Ordinal);
        Assert.Equal(["P-1"], await TargetIdsAsync(db));
    }

    private async Task IdWithInvalidUtf8Async(TestDatabase database)
    {
        await using var db = await database.InitializeAsync();
        _target.Given(Request.Create().WithPath("/things/bytes-1").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody([.. "{\"id\":\"B"u8, 0xFF, .. "-1\"}"u8]));
        var rows = await TestRows.AddAsync(db.Connections, Thing("bytes-1", "p1") with { XrefSourceId = "J-1" });
        await using var dispatcher = await StartAsync(db);

        await DispatcherHarness.WaitForAsync(async () => await dispatcher.StateAsync(rows[0].Id) == OutboxStates.Delivered, Patience);

        Assert.Equal(1, Calls("bytes-1"));
        var made = (await dispatcher.Outbox.GetStatusAsync(rows[0].Id, CancellationToken.None))!;
        Assert.Equal("B\uFFFD-1", made.TargetId);
        Assert.Contains("not kept as a cross-reference", made.LastError, StringComparison.Ordinal);
        Assert.Empty(await TargetIdsAsync(db));
    }

    private async Task ErrorsAsync(TestDatabase database)
    {
        await using var db = await database.InitializeAsync();
        Answer("half-1", 422, "{\"message\":\"name is not valid: Caf\\ud83d\",\"code\":\"INVALID\"}");
        // The emoji's two halves sit at 999 and 1000: a cut at 1000 characters falls between them.
        Answer("long-1", 422, new string('x', 999) + "\U0001F525 and more");
        _target.Given(Request.Create().WithPath("/things/bytes-1").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(422).WithBody([.. "bad byte "u8, 0xC3, .. " here"u8]));
        var rows = await TestRows.AddAsync(db.Connections, Thing("half-1", "p1"), Thing("long-1", "p2"), Thing("bytes-1", "p3"));
        await using var dispatcher = await StartAsync(db);

        await DispatcherHarness.WaitForAsync(async () => (await Task.WhenAll(rows.Select(r => dispatcher.StateAsync(r.Id)))).All(s => s == OutboxStates.Dead), Patience);

        Assert.Equal(1, Calls("half-1"));
        Assert.Equal(1, Calls("long-1"));
        Assert.Equal(1, Calls("bytes-1"));
        var half = Assert.Single(await dispatcher.Outbox.GetAttemptsAsync(rows[0].Id, CancellationToken.None));
        Assert.Equal(OutcomeKind.Permanent, half.Outcome);
        Assert.Contains("name is not valid: Caf\\ud83d", half.Message, StringComparison.Ordinal);
        var longer = (await dispatcher.Outbox.GetStatusAsync(rows[1].Id, CancellationToken.None))!;
        Assert.Contains(new string('x', 999) + "…", longer.DeadReason, StringComparison.Ordinal);
        Assert.DoesNotContain("\\ud83d", longer.DeadReason, StringComparison.Ordinal);
        var bytes = (await dispatcher.Outbox.GetStatusAsync(rows[2].Id, CancellationToken.None))!;
        Assert.Contains("bad byte \uFFFD here", bytes.DeadReason, StringComparison.Ordinal);
    }

    private void Answer(string key, int status, string body) =>
        _target.Given(Request.Create().WithPath($"/things/{key}").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    private int Calls(string key) => _target.LogEntries.Count(e => e.RequestMessage.Method == "PUT" && e.RequestMessage.Path == $"/things/{key}");

    private async Task<DispatcherHarness> StartAsync(TestDatabase db)
    {
        var dispatcher = new DispatcherHarness(db.Options, _keys, new Dictionary<string, string?>
        {
            ["Dispatcher:ShutdownTimeout"] = "00:00:00.500",
            ["Dispatcher:PollInterval"] = "00:00:00.100",
            ["Connectors:Http:Endpoints:things:Url"] = _target.Url + "/things/{{idempotencyKey}}",
            ["Connectors:Http:Endpoints:things:Method"] = "PUT",
        });
        await dispatcher.StartAsync();
        return dispatcher;
    }

    private static async Task<List<string>> TargetIdsAsync(TestDatabase db)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        return (await Dapper.SqlMapper.QueryAsync<string>(connection, "SELECT target_id FROM xref")).ToList();
    }

    private static TestRow Thing(string key, string partition) =>
        new(partition, new { fields = new { name = key }, @params = new { endpoint = "things" } }, IdempotencyKey: key);

    public void Dispose()
    {
        _target.Stop();
        _target.Dispose();
        try
        {
            Directory.Delete(_keys, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
