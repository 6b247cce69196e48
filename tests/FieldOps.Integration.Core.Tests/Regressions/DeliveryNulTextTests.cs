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
/// write-back recording the call failed at every try: the row was never recorded delivered or dead (without the fix the
/// wait below times out).
/// </summary>
public sealed class DeliveryNulTextTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly WireMockServer _target = WireMockServer.Start();
    private readonly string _keys = Path.Combine(Path.GetTempPath(), "fieldops-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public Task Deliver_AnswerHoldsANul_IsRecordedEscapedAndCalledOnce_Sqlite() => DeliverAsync(new SqliteTestDatabase());

    [PostgresFact]
    public Task Deliver_AnswerHoldsANul_IsRecordedEscapedAndCalledOnce_Postgres() => DeliverAsync(new PostgresTestDatabase());

    private async Task DeliverAsync(TestDatabase database)
    {
        await using var db = await database.InitializeAsync();
        _target.Given(Request.Create().WithPath("/things/made-1").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("{\"id\":\"T\\u0000-1\"}"));
        _target.Given(Request.Create().WithPath("/things/refused-1").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(422).WithBody("name is not valid: \0 found"));
        var rows = await TestRows.AddAsync(db.Connections, Thing("made-1", "p1") with { XrefSourceId = "J-1" }, Thing("refused-1", "p2"));
        await using var dispatcher = new DispatcherHarness(db.Options, _keys, new Dictionary<string, string?>
        {
            ["Dispatcher:ShutdownTimeout"] = "00:00:00.500",
            ["Dispatcher:PollInterval"] = "00:00:00.100",
            ["Connectors:Http:Endpoints:things:Url"] = _target.Url + "/things/{{idempotencyKey}}",
            ["Connectors:Http:Endpoints:things:Method"] = "PUT",
        });
        await dispatcher.StartAsync();

        await DispatcherHarness.WaitForAsync(async () => await dispatcher.StateAsync(rows[0].Id) == OutboxStates.Delivered
            && await dispatcher.StateAsync(rows[1].Id) == OutboxStates.Dead, Patience);

        Assert.Equal(2, _target.LogEntries.Count(e => e.RequestMessage.Method == "PUT"));
        var made = (await dispatcher.Outbox.GetStatusAsync(rows[0].Id, CancellationToken.None))!;
        Assert.Equal("T\\u0000-1", made.TargetId);
        // Escaped, the id is not the vendor's: not kept as a cross-reference (an upsert by it would make a second record).
        Assert.StartsWith("the target answered an id holding a NUL character", made.LastError, StringComparison.Ordinal);
        await using (var connection = await db.Connections.OpenAsync(CancellationToken.None))
            Assert.Equal(0, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(*) FROM xref"));
        var attempt = Assert.Single(await dispatcher.Outbox.GetAttemptsAsync(rows[1].Id, CancellationToken.None));
        Assert.Contains("\\u0000 found", attempt.ResponseExcerpt, StringComparison.Ordinal);
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
