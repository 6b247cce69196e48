using System.Collections.Concurrent;
using FieldOps.Integration.Core.CrossReferences;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Tests.Support;
using FieldOps.Integration.Storage.CrossReferences;
using FieldOps.Integration.Testing.Stores;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace FieldOps.Integration.Core.Tests.Dispatch;

/// <summary>FIFO per partition key, parallel across keys, and dead letters holding their successors.</summary>
public sealed class DispatcherOrderTests : DispatcherTestBase
{
    [Fact]
    public async Task Dispatch_CustomerFailsTwice_StillLandsBeforeTheInvoiceWithTheSameKey()
    {
        Target.Given(Request.Create().WithPath("/things/cust-42").UsingPut()).InScenario("c").WillSetStateTo("1")
            .RespondWith(Response.Create().WithStatusCode(502));
        Target.Given(Request.Create().WithPath("/things/cust-42").UsingPut()).InScenario("c").WhenStateIs("1").WillSetStateTo("2")
            .RespondWith(Response.Create().WithStatusCode(500));
        Target.Given(Request.Create().WithPath("/things/cust-42").UsingPut()).InScenario("c").WhenStateIs("2")
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "C-58" }));
        Target.Given(Request.Create().WithPath("/things/inv-7").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "I-1" }));
        Target.Given(Request.Create().WithPath("/things/other-1").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "O-1" }));
        var rows = await Db.AddRowsAsync(
            Thing("cust-42", "qb:customer:42"), Thing("inv-7", "qb:customer:42"), Thing("other-1", "qb:customer:99"));

        await StartAsync(new() { ["Dispatcher:BaseDelay"] = "00:00:00.150", ["Dispatcher:MaxDelay"] = "00:00:00.300" });
        await WaitForStateAsync(rows[1].Id, OutboxStates.Delivered);

        var calls = Target.LogEntries.OrderBy(e => e.RequestMessage.DateTime).Select(e => e.RequestMessage.Path).ToList();
        Assert.Equal(["/things/cust-42", "/things/cust-42", "/things/cust-42", "/things/inv-7"], calls.Where(p => p != "/things/other-1"));
        // The unrelated key was not held back by the failing customer.
        Assert.True(calls.IndexOf("/things/other-1") < calls.LastIndexOf("/things/cust-42"), string.Join(", ", calls));
        Assert.Equal(3, (await StatusAsync(rows[0].Id)).Attempts);
    }

    [Fact]
    public async Task Dispatch_DeadLetteredPredecessor_BlocksSuccessorsUntilReplayed()
    {
        Target.Given(Request.Create().WithPath("/things/cust-1").UsingPut()).AtPriority(10)
            .RespondWith(Response.Create().WithStatusCode(422).WithBody("DisplayName is required"));
        Target.Given(Request.Create().WithPath("/things/inv-1").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "I-1" }));
        Target.Given(Request.Create().WithPath("/things/free-1").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "F-1" }));
        var rows = await Db.AddRowsAsync(Thing("cust-1", "k"), Thing("inv-1", "k"), Thing("free-1", "other"));

        await StartAsync();
        await WaitForStateAsync(rows[0].Id, OutboxStates.Dead);
        await WaitForStateAsync(rows[2].Id, OutboxStates.Delivered);
        await Task.Delay(200);

        Assert.Equal(OutboxStates.Blocked, await Harness.StateAsync(rows[1].Id));
        Assert.DoesNotContain(Target.LogEntries, e => e.RequestMessage.Path == "/things/inv-1");

        Target.Given(Request.Create().WithPath("/things/cust-1").UsingPut()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "C-1" }));
        Assert.True(await Harness.Outbox.ReplayAsync(rows[0].Id, CancellationToken.None));
        await WaitForStateAsync(rows[1].Id, OutboxStates.Delivered);

        var order = Target.LogEntries.OrderBy(e => e.RequestMessage.DateTime).Select(e => e.RequestMessage.Path).Where(p => p != "/things/free-1");
        Assert.Equal(["/things/cust-1", "/things/cust-1", "/things/inv-1"], order);
        Assert.Equal(OutboxStates.Delivered, await Harness.StateAsync(rows[0].Id));
    }

    [Fact]
    public async Task Dispatch_InvoiceReferencingAnUndeliveredCustomer_WaitsForTheXrefThenSendsTheTargetId()
    {
        Target.Given(Request.Create().WithPath("/things/cust-5").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "C-500" }).WithDelay(TimeSpan.FromMilliseconds(300)));
        Target.Given(Request.Create().WithPath("/things/inv-5").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "I-5" }));
        var customerRef = new Dictionary<string, object> { ["$xref"] = new { system = "http", type = "Thing", sourceId = "5" } };
        var rows = await Db.AddRowsAsync(
            Thing("cust-5", "customer:5") with { XrefSourceId = "5" },
            Thing("inv-5", "invoice:5", fields: new { customer = customerRef }));

        await StartAsync(new() { ["Dispatcher:XrefRecheckInterval"] = "00:00:00.050" });
        await WaitForStateAsync(rows[1].Id, OutboxStates.Delivered);

        var invoice = Assert.Single(Target.LogEntries, e => e.RequestMessage.Path == "/things/inv-5");
        Assert.Equal("{\"customer\":\"C-500\"}", invoice.RequestMessage.Body);
    }

    [Fact]
    public async Task Dispatch_XrefNeverResolves_DeadLettersAfterTheWaitLimitWithAClearReason()
    {
        var missing = new Dictionary<string, object> { ["$xref"] = new { system = "http", type = "Thing", sourceId = "404" } };
        var rows = await Db.AddRowsAsync(Thing("inv-9", "invoice:9", fields: new { customer = missing }));

        await StartAsync(new() { ["Dispatcher:XrefRecheckInterval"] = "00:00:00.050", ["Dispatcher:XrefWaitLimit"] = "00:00:00.300" });
        await WaitForStateAsync(rows[0].Id, OutboxStates.Dead);

        Assert.Contains("http/Thing/404", (await StatusAsync(rows[0].Id)).DeadReason, StringComparison.Ordinal);
        Assert.Empty(Target.LogEntries);
    }

    [Fact]
    public async Task Dispatch_RowsWhoseXrefsAreKnown_LookedUpTogetherForTheirClaimNotOneLookupPerDelivery()
    {
        // Issue 15: on a server database each lookup is a round trip; a claim's rows share one.
        var xrefs = new CrossReferenceStore(Db.Connections, TimeProvider.System);
        var rows = new List<TestRow>();
        for (var i = 1; i <= 6; i++)
        {
            await xrefs.SaveAsync("http", "Thing", $"{i}", $"C-{i}00", CancellationToken.None);
            Target.Given(Request.Create().WithPath($"/things/inv-{i}").UsingPut())
                .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = $"I-{i}" }));
            var customer = new Dictionary<string, object> { ["$xref"] = new { system = "http", type = "Thing", sourceId = $"{i}" } };
            rows.Add(Thing($"inv-{i}", $"invoice:{i}", fields: new { customer }));
        }
        var added = await Db.AddRowsAsync([.. rows]);
        var lookups = new LookupCounts(xrefs);

        await StartAsync(more: (services, _) => services.AddSingleton<ICrossReferenceStore>(lookups));
        foreach (var row in added)
            await WaitForStateAsync(row.Id, OutboxStates.Delivered);

        for (var i = 1; i <= 6; i++)
            Assert.Equal($"{{\"customer\":\"C-{i}00\"}}", Assert.Single(Target.LogEntries, e => e.RequestMessage.Path == $"/things/inv-{i}").RequestMessage.Body);
        // Each placeholder looked up once, in fewer lookups than deliveries (one per claim: 1 when one claim took all six).
        Assert.Equal(6, lookups.Keys.Sum());
        Assert.True(lookups.Keys.Count < 6, $"lookups of {string.Join(", ", lookups.Keys)} keys");
    }

    // The real store, counting the keys of each FindManyAsync.
    private sealed class LookupCounts(ICrossReferenceStore inner) : ICrossReferenceStore
    {
        public ConcurrentQueue<int> Keys { get; } = new();

        public Task<string?> FindAsync(string system, string objectType, string sourceId, CancellationToken cancellationToken) =>
            inner.FindAsync(system, objectType, sourceId, cancellationToken);

        public Task<string?> FindSourceAsync(string system, string objectType, string targetId, CancellationToken cancellationToken) =>
            inner.FindSourceAsync(system, objectType, targetId, cancellationToken);

        public Task<IReadOnlyDictionary<XrefPlaceholder, string>> FindManyAsync(IReadOnlyCollection<XrefPlaceholder> keys, CancellationToken cancellationToken)
        {
            Keys.Enqueue(keys.Count);
            return inner.FindManyAsync(keys, cancellationToken);
        }

        public Task SaveAsync(string system, string objectType, string sourceId, string targetId, CancellationToken cancellationToken) =>
            inner.SaveAsync(system, objectType, sourceId, targetId, cancellationToken);
    }
}
