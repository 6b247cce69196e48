using System.Collections.Concurrent;
using System.Reflection;
using FieldOps.Connectors.Http;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Tests.Support;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Storage.Outbox;
using FieldOps.Integration.Testing.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace FieldOps.Integration.Core.Tests.Dispatch;

/// <summary>
/// How often the dispatcher asks the store for rows: every connector in one claim, and a connector whose last claim
/// came back short is not asked again for each delivery another connector finishes (the SQLite write lock that claim
/// takes is the one the intake's acknowledgements wait for).
/// </summary>
public sealed class DispatcherClaimTests : DispatcherTestBase
{
    [Fact]
    public async Task Dispatch_ADrainedConnector_IsNotAskedAgainForEveryDeliveryOfAnother()
    {
        Target.Given(Request.Create().WithPath("/things/*").UsingPut()).RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "T-1" }));
        // One partition key: each row is claimable only once the one before it is delivered, so every delivery is
        // followed by a claim pass.
        var rows = await Db.AddRowsAsync(Enumerable.Range(0, 25).Select(i => Thing($"row-{i}", "k")).ToArray());
        var asked = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);

        // A poll interval of 10 minutes: a drained connector is asked again after a minute at the earliest.
        await StartAsync(new() { ["Dispatcher:PollInterval"] = "00:10:00" }, (services, _) =>
        {
            services.AddSingleton<IConnector>(sp => new Renamed("quiet", ActivatorUtilities.CreateInstance<HttpConnector>(sp)));
            services.RemoveAll<IOutboxStore>();
            services.AddSingleton(sp => ClaimCounter.Wrap(new OutboxStore(sp.GetRequiredService<IStoreConnections>(), TimeProvider.System), asked));
        });
        await WaitForStateAsync(rows[^1].Id, OutboxStates.Delivered);

        foreach (var row in rows)
            Assert.Equal(OutboxStates.Delivered, await Harness.StateAsync(row.Id));
        Assert.InRange(asked.GetValueOrDefault("http"), rows.Count, int.MaxValue);
        // Asked in the first pass, found nothing, and not again within the poll interval: before, it was asked in every pass.
        Assert.Equal(1, asked.GetValueOrDefault("quiet"));
    }

    [Fact]
    public async Task Dispatch_SeveralConnectorsWithWork_AreClaimedInOneStoreCall()
    {
        Target.Given(Request.Create().WithPath("/things/*").UsingPut()).RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "T-1" }));
        var rows = await Db.AddRowsAsync(
            Thing("h-1", "a"), Thing("h-2", "b"),
            new TestRow("c", new { fields = new { name = "o-1" }, @params = new { endpoint = "things" } }, Connector: "other", IdempotencyKey: "o-1"));
        var calls = new ConcurrentQueue<string[]>();

        await StartAsync(new() { ["Dispatcher:PollInterval"] = "00:01:00" }, (services, _) =>
        {
            services.AddSingleton<IConnector>(sp => new Renamed("other", ActivatorUtilities.CreateInstance<HttpConnector>(sp)));
            services.RemoveAll<IOutboxStore>();
            services.AddSingleton(sp => ClaimCounter.Wrap(new OutboxStore(sp.GetRequiredService<IStoreConnections>(), TimeProvider.System), null, calls));
        });
        foreach (var row in rows)
            await WaitForStateAsync(row.Id, OutboxStates.Delivered);

        Assert.Equal(["http", "other"], calls.First().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Dispatch_ARowReleasedByAnotherConnectorsDelivery_IsClaimedWithinATenthOfThePollInterval()
    {
        Target.Given(Request.Create().WithPath("/things/*").UsingPut()).RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "T-1" }));
        // One key, two connectors, as a Jobber request and the write-back of its id to the CRM: the second row is
        // claimable only once the first is delivered, and its connector was found drained before that.
        var rows = await Db.AddRowsAsync(
            Thing("request-1", "jobber:request:1"),
            new TestRow("jobber:request:1", new { fields = new { name = "writeback-1" }, @params = new { endpoint = "things" } }, Connector: "other", IdempotencyKey: "writeback-1"));
        // A poll every minute: the recheck is due 6 s after the connector was found drained.
        await StartAsync(new() { ["Dispatcher:PollInterval"] = "00:01:00" }, (services, _) =>
            services.AddSingleton<IConnector>(sp => new Renamed("other", ActivatorUtilities.CreateInstance<HttpConnector>(sp))));
        await WaitForStateAsync(rows[0].Id, OutboxStates.Delivered);
        var afterFirst = System.Diagnostics.Stopwatch.StartNew();
        // Within a tenth of the poll interval plus a call, not at the next poll (60 s).
        await DispatcherHarness.WaitForAsync(async () => await Harness.StateAsync(rows[1].Id) == OutboxStates.Delivered, TimeSpan.FromSeconds(40));

        Assert.True(afterFirst.Elapsed < TimeSpan.FromSeconds(40), $"the released row was delivered {afterFirst.Elapsed.TotalSeconds:F1} s after the first");
    }

    /// <summary>A second real HTTP connector under another connector name: a second connector with a real target.</summary>
    private sealed class Renamed(string name, IConnector inner) : IConnector
    {
        public string Name => name;

        public Task<DeliveryOutcome> DeliverAsync(OutboundOperation operation, CancellationToken cancellationToken) => inner.DeliverAsync(operation, cancellationToken);
    }

    /// <summary>The real store, recording which connectors each claim asked for.</summary>
    public class ClaimCounter : DispatchProxy
    {
        private IOutboxStore _inner = null!;
        private ConcurrentDictionary<string, int>? _asked;
        private ConcurrentQueue<string[]>? _calls;

        public static IOutboxStore Wrap(IOutboxStore inner, ConcurrentDictionary<string, int>? asked, ConcurrentQueue<string[]>? calls = null)
        {
            var proxy = Create<IOutboxStore, ClaimCounter>();
            var counter = (ClaimCounter)(object)proxy;
            counter._inner = inner;
            counter._asked = asked;
            counter._calls = calls;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == nameof(IOutboxStore.ClaimAsync) && args?[0] is IReadOnlyList<ClaimRequest> requests)
            {
                foreach (var request in requests)
                    _asked?.AddOrUpdate(request.Connector, 1, (_, n) => n + 1);
                _calls?.Enqueue(requests.Select(r => r.Connector).ToArray());
            }
            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }
        }
    }
}
