using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Reflection;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Operations;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Storage.Outbox;
using FieldOps.Integration.Testing.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace FieldOps.Integration.Core.Tests.Operations;

/// <summary>The outbox's metering decorator counts every write-back, however the dispatcher's tasks interleave.</summary>
public sealed class MeteredOutboxStoreTests : IDisposable
{
    private readonly TestStore _db = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    /// <summary>
    /// Found in CI: a retry's write-back commits, and before its own code goes on the row is claimed again, delivered
    /// and written back (which forgets the row's connector). The retry then found no connector and went uncounted.
    /// </summary>
    [Fact]
    public async Task Update_RowClaimedAndFinishedBeforeTheRetryWriteBackReturns_CountsBoth()
    {
        var counts = new ConcurrentDictionary<string, double>();
        using var listener = OperationsMeterCounts.Listen(_services.GetRequiredService<IMeterFactory>(), counts);
        var rows = await _db.AddRowsAsync(new TestRow("p1", new { fields = new { } }));
        var id = rows[0].Id;
        var interleave = new Interleave();
        var store = new MeteredOutboxStore(
            Interleave.Wrap(new OutboxStore(_db.Connections, TimeProvider.System), interleave), new OperationsMetrics(_services.GetRequiredService<IMeterFactory>()));
        var now = DateTimeOffset.UtcNow.AddSeconds(1);
        var lease = TimeSpan.FromMinutes(1);
        Assert.Single(await store.ClaimAsync("http", 1, [], "w", now, lease, CancellationToken.None));
        interleave.AfterUpdate = async () =>
        {
            // The next turn of the dispatcher, run before the retry's write-back has come back to the decorator.
            Assert.Single(await store.ClaimAsync("http", 1, [], "w", now, lease, CancellationToken.None));
            Assert.True(await store.UpdateAsync(
                Update(id, OutboxStates.Delivered, 2, Attempt(2, now, OutcomeKind.Delivered, 200)), "w", now, CancellationToken.None));
        };

        var retry = Update(id, OutboxStates.Pending, 1, Attempt(1, now, OutcomeKind.Transient, 503)) with { NextAttemptAt = now, LastOutcome = OutcomeKind.Transient };
        Assert.True(await store.UpdateAsync(retry, "w", now, CancellationToken.None));

        var seen = string.Join("; ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key}={c.Value}"));
        Assert.True(interleave.Ran, "the second turn did not run inside the first write-back");
        Assert.True(counts.GetValueOrDefault("fieldops_operations_retried{connector=http,outcome=Transient}") == 1, "counted: " + seen);
        Assert.True(counts.GetValueOrDefault("fieldops_operations_delivered{connector=http}") == 1, "counted: " + seen);
        Assert.True(counts.GetValueOrDefault("fieldops_delivery_latency_seconds_count") == 2, "counted: " + seen);
    }

    private static OutboxUpdate Update(string id, string state, int attempts, AttemptRecord attempt) => new()
    {
        Id = id,
        State = state,
        Attempts = attempts,
        FirstAttemptAt = attempt.StartedAt,
        LastOutcome = attempt.Outcome,
        TargetId = state == OutboxStates.Delivered ? "T-1" : null,
        AttemptRecords = [attempt],
    };

    private static AttemptRecord Attempt(int number, DateTimeOffset at, OutcomeKind outcome, int status) =>
        new(number, at, TimeSpan.FromMilliseconds(5), outcome, status, null, null);

    public void Dispose()
    {
        _services.Dispose();
        _db.Dispose();
    }

    /// <summary>Runs <see cref="AfterUpdate"/> once, after the first pending write-back commits and before it returns.</summary>
    public class Interleave : DispatchProxy
    {
        private IOutboxStore _inner = null!;
        private Interleave _hook = null!;

        public Func<Task>? AfterUpdate { get; set; }

        public bool Ran { get; private set; }

        public static IOutboxStore Wrap(IOutboxStore inner, Interleave hook)
        {
            var proxy = Create<IOutboxStore, Interleave>();
            var self = (Interleave)(object)proxy;
            self._inner = inner;
            self._hook = hook;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            var result = targetMethod.Invoke(_inner, args);
            if (targetMethod.Name == nameof(IOutboxStore.UpdateAsync) && args?[0] is OutboxUpdate { State: OutboxStates.Pending }
                && _hook.AfterUpdate is { } after)
            {
                _hook.AfterUpdate = null;
                return ThenAsync((Task<bool>)result!, after);
            }
            return result;
        }

        private async Task<bool> ThenAsync(Task<bool> update, Func<Task> after)
        {
            var written = await update.ConfigureAwait(false);
            await after().ConfigureAwait(false);
            _hook.Ran = true;
            return written;
        }
    }
}
