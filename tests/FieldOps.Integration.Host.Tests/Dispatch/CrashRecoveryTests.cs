using System.Collections.Concurrent;
using System.Text.Json;
using FieldOps.Integration.Testing.Stores;
using WireMock;
using Xunit.Abstractions;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace FieldOps.Integration.Host.Tests.Dispatch;

/// <summary>
/// kill -9 of a real <c>fieldops</c> process in the middle of deliveries to a slow target, then a restart: every
/// operation reaches the target, and no effect happens twice (idempotent writes converge on their key; the
/// non-idempotent ones are sent once, thanks to the in-flight mark and the effect check).
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IDisposable
{
    private readonly TestStore _db = new();
    private readonly WireMockServer _target = WireMockServer.Start();
    private readonly ConcurrentDictionary<string, int> _notesCreated = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _thingsWritten = new(StringComparer.Ordinal);

    [Fact]
    public async Task Dispatch_ProcessKilledMidDelivery_EveryOperationArrivesAndNoEffectHappensTwice()
    {
        ArrangeSlowTarget();
        var things = Enumerable.Range(0, 24).Select(i => new TestRow($"customer:{i % 8}", Payload("things", i), IdempotencyKey: $"thing-{i}")).ToArray();
        var notes = Enumerable.Range(0, 6).Select(i => new TestRow($"case:{i}", Payload("notes", i), Operation: "note", IdempotencyKey: $"note-{i}")).ToArray();
        // Interleaved, so that notes are in flight too when the process dies.
        var rows = await _db.AddRowsAsync(things.Chunk(4).Zip(notes, (t, n) => t.Append(n)).SelectMany(c => c).ToArray());
        var environment = Environment();

        using (var first = FieldOpsProcess.Start(_db.Directory, environment))
        {
            await WaitUntilAsync(() => _thingsWritten.Count + _notesCreated.Count >= 6 && !_notesCreated.IsEmpty, TimeSpan.FromSeconds(30), first);
            first.Kill();
        }
        var leasedAtCrash = await _db.ScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE lease_owner IS NOT NULL AND state <> 'delivered'");
        var deliveredAtCrash = await _db.ScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE state = 'delivered'");
        var notesInFlightAtCrash = await _db.ScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE state = 'in_flight'");

        using (var second = FieldOpsProcess.Start(_db.Directory, environment))
        {
            await WaitUntilAsync(
                () => _db.ScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE state <> 'delivered'").GetAwaiter().GetResult() == 0,
                TimeSpan.FromSeconds(45), second);
        }

        output.WriteLine($"at the kill: {deliveredAtCrash} delivered, {leasedAtCrash} leased, {notesInFlightAtCrash} notes in flight; " +
            $"after the restart: {_thingsWritten.Values.Sum()} writes for {_thingsWritten.Count} things, {_notesCreated.Values.Sum()} notes created");
        Assert.True(leasedAtCrash > 0, "the kill should interrupt deliveries in flight");
        Assert.True(deliveredAtCrash < rows.Count, "the kill should come before the work was done");
        foreach (var thing in things)
            Assert.True(_thingsWritten.ContainsKey(thing.IdempotencyKey), $"{thing.IdempotencyKey} never reached the target");
        foreach (var row in rows.Where(r => r.Operation == "note"))
            Assert.Equal(1, _notesCreated.GetValueOrDefault(row.Id));
        Assert.Equal(0, await _db.ScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE state = 'dead'"));
        Assert.True(notesInFlightAtCrash > 0 || _notesCreated.Count == notes.Length, "a note should be in flight or done at the crash");
    }

    private static object Payload(string endpoint, int i) => new { fields = new { name = $"{endpoint}-{i}" }, @params = new { endpoint } };

    private void ArrangeSlowTarget()
    {
        _target.Given(Request.Create().WithPath("/things/*").UsingPut())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                _thingsWritten.AddOrUpdate(request.Path["/things/".Length..], 1, (_, n) => n + 1);
                return Json(200, new { id = "T-" + request.Path["/things/".Length..] });
            }).WithDelay(TimeSpan.FromMilliseconds(250)));
        _target.Given(Request.Create().WithPath("/notes").UsingPost())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var op = JsonDocument.Parse(request.Body!).RootElement.GetProperty("op").GetString()!;
                _notesCreated.AddOrUpdate(op, 1, (_, n) => n + 1);
                return Json(201, new { id = "N-" + op });
            }).WithDelay(TimeSpan.FromMilliseconds(250)));
        _target.Given(Request.Create().WithPath("/notes/by-op/*").UsingGet())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var op = request.Path["/notes/by-op/".Length..];
                return _notesCreated.ContainsKey(op) ? Json(200, new { id = "N-" + op }) : Json(404, new { error = "not found" });
            }));
    }

    private static ResponseMessage Json(int status, object body) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
        BodyData = new BodyData { BodyAsString = JsonSerializer.Serialize(body), DetectedBodyType = BodyType.String },
    };

    private Dictionary<string, string> Environment() => new()
    {
        ["Store__ConnectionString"] = _db.ConnectionString,
        ["Credentials__KeysDirectory"] = Path.Combine(_db.Directory, "keys"),
        ["Dispatcher__PollInterval"] = "00:00:00.050",
        ["Dispatcher__BaseDelay"] = "00:00:00.050",
        ["Dispatcher__MaxDelay"] = "00:00:00.500",
        ["Dispatcher__LeaseDuration"] = "00:00:03",
        ["Dispatcher__ShutdownTimeout"] = "00:00:01",
        ["Dispatcher__ConcurrencyPerConnector"] = "4",
        ["Connectors__Http__Endpoints__things__Url"] = _target.Url + "/things/{{idempotencyKey}}",
        ["Connectors__Http__Endpoints__things__Method"] = "PUT",
        ["Connectors__Http__Endpoints__notes__Url"] = _target.Url + "/notes",
        ["Connectors__Http__Endpoints__notes__Method"] = "POST",
        ["Connectors__Http__Endpoints__notes__Body"] = "{\"op\": {{id}}, \"text\": {{fields.name}}}",
        ["Connectors__Http__Endpoints__notes__NonIdempotent"] = "true",
        ["Connectors__Http__Endpoints__notes__EffectCheckUrl"] = _target.Url + "/notes/by-op/{{id}}",
        ["Logging__Level"] = "Warning",
    };

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, FieldOpsProcess process)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Timed out. fieldops output:\n{process.Output}");
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        _target.Stop();
        _target.Dispose();
        _db.Dispose();
    }
}
