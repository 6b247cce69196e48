using System.Collections.Concurrent;
using System.Reflection;
using FieldOps.Connectors.Http;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Tests.Support;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Storage.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace FieldOps.Integration.Core.Tests.Dispatch;

/// <summary>
/// The dispatcher claims ahead of its call slots and fills a slot the moment the vendor answers (issue 15): a claim's
/// turn at the store no longer stands between one call and the next, and a write-back waiting for its group commit
/// no longer holds a vendor slot. What must not change: no more calls at once than the connector's concurrency, and
/// nothing called into a pause the target asked for.
/// </summary>
public sealed class DispatcherLaneTests : DispatcherTestBase
{
    [Fact]
    public async Task Dispatch_ClaimsAheadUpToTwiceItsConcurrency_ButCallsNoMoreThanItAtOnce()
    {
        Target.Given(Request.Create().WithPath("/things/*").UsingPut()).RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "T-1" }));
        var rows = await Db.AddRowsAsync(Enumerable.Range(0, 8).Select(i => Thing($"row-{i}", $"k{i}")).ToArray());
        Held? held = null;
        await StartAsync(new() { ["Dispatcher:ConcurrencyPerConnector"] = "2" }, (services, _) =>
        {
            services.RemoveAll<IConnector>();
            services.AddSingleton<IConnector>(sp => held = new Held(ActivatorUtilities.CreateInstance<HttpConnector>(sp)));
        });

        // Two calls wait for their answers; two more rows are claimed ahead for the slots they will free.
        await DispatcherHarness.WaitForAsync(() => Task.FromResult(held?.Calling == 2), Patience);
        await DispatcherHarness.WaitForAsync(async () => await LeasesAsync() == 4, Patience);
        Assert.Equal(2, held!.Calling);
        held.Answers.Release(rows.Count);
        foreach (var row in rows)
            await WaitForStateAsync(row.Id, OutboxStates.Delivered);

        Assert.Equal(2, held.MostAtOnce);
        Assert.Equal(rows.Count, Target.LogEntries.Count);
    }

    [Fact]
    public async Task Dispatch_AWriteBackWaitingForTheStore_DoesNotHoldTheVendorSlot()
    {
        Target.Given(Request.Create().WithPath("/things/*").UsingPut()).RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "T-1" }));
        var rows = await Db.AddRowsAsync(Thing("row-1", "a"), Thing("row-2", "b"));
        using var writeBacks = new SemaphoreSlim(0);
        await StartAsync(new() { ["Dispatcher:ConcurrencyPerConnector"] = "1" }, (services, _) =>
        {
            services.RemoveAll<IOutboxStore>();
            services.AddSingleton(sp => new OutboxStore(sp.GetRequiredService<IStoreConnections>(), TimeProvider.System)); // disposed with the services
            services.AddSingleton(sp => SlowWriteBacks.Wrap(sp.GetRequiredService<OutboxStore>(), writeBacks));
        });

        // One slot: the second row's call starts once the first is answered, while the first's write-back still waits.
        await DispatcherHarness.WaitForAsync(() => Task.FromResult(Target.LogEntries.Count == 2), Patience);
        Assert.Equal(OutboxStates.Pending, await Harness.StateAsync(rows[0].Id));
        writeBacks.Release(2);
        foreach (var row in rows)
            await WaitForStateAsync(row.Id, OutboxStates.Delivered);
    }

    [Fact]
    public async Task Dispatch_ThrottleAnswer_SendsTheCallsClaimedAheadBackUnsent()
    {
        Target.Given(Request.Create().WithPath("/things/row-1").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "60").WithBody("slow down"));
        Target.Given(Request.Create().WithPath("/things/row-2").UsingPut()).RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "T-2" }));
        var rows = await Db.AddRowsAsync(Thing("row-1", "a"), Thing("row-2", "b"));
        // The second row failed once before: what the operator sees of that failure must outlive a release without a call.
        await Db.ScalarAsync<long>(
            "UPDATE outbox SET attempts = 1, last_outcome = 'Transient', last_error = 'HTTP 503: try later' WHERE id = @id RETURNING attempts",
            new { id = rows[1].Id });
        await StartAsync(new() { ["Dispatcher:ConcurrencyPerConnector"] = "1" });

        // Both rows claimed (one call slot, one row ahead); the first is throttled for a minute.
        await DispatcherHarness.WaitForAsync(async () => (await StatusAsync(rows[0].Id)).LastOutcome == nameof(OutcomeKind.Throttled), Patience);
        await DispatcherHarness.WaitForAsync(async () => await LeasesAsync() == 0, Patience);

        // The row claimed ahead went back unsent: no call into the pause, no attempt counted, free for any worker.
        Assert.Single(Target.LogEntries);
        var second = await StatusAsync(rows[1].Id);
        Assert.Equal(OutboxStates.Pending, second.State);
        Assert.Equal(1, second.Attempts);
        Assert.Equal(nameof(OutcomeKind.Transient), second.LastOutcome);
        Assert.Equal("HTTP 503: try later", second.LastError);
    }

    [Fact]
    public async Task Dispatch_ACallStartedByAnotherCallsAnswer_LogsUnderItsOwnScopeOnly()
    {
        Target.Given(Request.Create().WithPath("/things/*").UsingPut()).RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "T-1" }));
        var rows = await Db.AddRowsAsync(Thing("row-1", "a"), Thing("row-2", "b"), Thing("row-3", "c"));
        var recorder = new ScopeRecorder();
        await StartAsync(new() { ["Dispatcher:ConcurrencyPerConnector"] = "1" }, (services, _) =>
            services.AddLogging(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(recorder)));
        foreach (var row in rows)
            await WaitForStateAsync(row.Id, OutboxStates.Delivered);

        // One slot: row 2 starts from row 1's answer. It must not inherit row 1's log scope (nor row 3 both).
        var attempts = recorder.Lines.Where(l => l.Message.StartsWith("Delivery ", StringComparison.Ordinal)).ToList();
        Assert.Equal(rows.Count, attempts.Count);
        foreach (var (message, ids) in attempts)
            Assert.Equal([rows.Single(r => message.Contains(r.Id, StringComparison.Ordinal)).Id], ids);
    }

    private Task<long> LeasesAsync() => Harness.Outbox.CountLeasesAsync(Harness.Dispatcher.Owner, DateTimeOffset.UtcNow, CancellationToken.None);

    /// <summary>The real HTTP connector, each call held until the test lets an answer through; counts the calls at once.</summary>
    private sealed class Held(IConnector inner) : IConnector
    {
        private int _calling;
        private int _most;

        public SemaphoreSlim Answers { get; } = new(0);

        public int Calling => Volatile.Read(ref _calling);

        public int MostAtOnce => Volatile.Read(ref _most);

        public string Name => inner.Name;

        public async Task<DeliveryOutcome> DeliverAsync(OutboundOperation operation, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _calling);
            int most;
            while (now > (most = Volatile.Read(ref _most)) && Interlocked.CompareExchange(ref _most, now, most) != most)
            {
            }
            try
            {
                await Answers.WaitAsync(cancellationToken);
                return await inner.DeliverAsync(operation, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _calling);
            }
        }
    }

    /// <summary>Records each log line with the outbox message ids of the scopes it was written in.</summary>
    private sealed class ScopeRecorder : ILoggerProvider, ISupportExternalScope, ILogger
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<(string Message, List<string> Ids)> Lines { get; } = new();

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => _scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var ids = new List<string>();
            _scopes.ForEachScope((scope, found) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object>> values)
                    found.AddRange(values.Where(v => v.Key == "OutboxMessageId").Select(v => v.Value.ToString()!));
            }, ids);
            Lines.Enqueue((formatter(state, exception), ids));
        }

        public void Dispose()
        {
        }
    }

    /// <summary>The real store, each write-back held until the test lets it through.</summary>
    public class SlowWriteBacks : DispatchProxy
    {
        private IOutboxStore _inner = null!;
        private SemaphoreSlim _gate = null!;

        public static IOutboxStore Wrap(IOutboxStore inner, SemaphoreSlim gate)
        {
            var proxy = Create<IOutboxStore, SlowWriteBacks>();
            var slow = (SlowWriteBacks)(object)proxy;
            slow._inner = inner;
            slow._gate = gate;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == nameof(IOutboxStore.UpdateAsync))
                return WhenLetThrough(args!);
            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }
        }

        private async Task<bool> WhenLetThrough(object?[] args)
        {
            await _gate.WaitAsync();
            return await _inner.UpdateAsync((OutboxUpdate)args[0]!, (string)args[1]!, (DateTimeOffset)args[2]!, (CancellationToken)args[3]!);
        }
    }
}
