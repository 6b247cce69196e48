using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Tests.Support;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Storage.Outbox;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace FieldOps.Integration.Core.Tests.Regressions;

/// <summary>
/// The dispatcher's loop caught what it took for an outage and <see cref="InvalidOperationException"/>; any other fault of
/// a claim pass (an <see cref="ArgumentException"/> from a driver, say) escaped it and stopped the host. Now it is logged
/// as unexpected, the claims back off, and the rows are delivered once a pass succeeds. Releasing the leases at the stop
/// caught only an outage too: another fault failed the host's stop, where the leases run out by themselves all the same.
/// </summary>
public sealed class DispatcherUnexpectedFaultTests : DispatcherTestBase
{
    [Fact]
    public async Task Dispatcher_AClaimFailsWithAFaultThatIsNoOutage_BacksOffAndDeliversAfterIt()
    {
        Target.Given(Request.Create().WithPath("/things/*").UsingPut()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{\"id\":\"ok\"}"));
        FirstCallFails<IOutboxStore>? probe = null;
        await StartAsync(more: (services, _) => services.AddSingleton<IOutboxStore>(sp =>
        {
            var (store, claims) = FirstCallFails<IOutboxStore>.Wrap(
                new OutboxStore(sp.GetRequiredService<IStoreConnections>(), sp.GetRequiredService<TimeProvider>()),
                nameof(IOutboxStore.ClaimAsync), new ArgumentException("a driver refused a parameter (test)"));
            probe = claims;
            return store;
        }));
        var rows = await Db.AddRowsAsync(Thing("k1"));

        await WaitForStateAsync(rows[0].Id, OutboxStates.Delivered);

        Assert.True(probe!.Calls >= 2);
        Assert.False(Harness.Dispatcher.ExecuteTask!.IsCompleted);
    }

    [Fact]
    public async Task Dispatcher_ClaimsKeepFailing_TheBackoffIsNotCutShortByNewRowsSignalled()
    {
        // Each router commit signals new rows; the signal used to end the backoff's wait, so a claim failing at every pass
        // was tried at the rate of the commits.
        FirstCallFails<IOutboxStore>? probe = null;
        await StartAsync(more: (services, _) => services.AddSingleton<IOutboxStore>(sp =>
        {
            var (store, claims) = FirstCallFails<IOutboxStore>.Wrap(
                new OutboxStore(sp.GetRequiredService<IStoreConnections>(), sp.GetRequiredService<TimeProvider>()),
                nameof(IOutboxStore.ClaimAsync), new ArgumentException("a driver refused a parameter (test)"), failures: int.MaxValue);
            probe = claims;
            return store;
        }));
        await Db.AddRowsAsync(Thing("k1"));
        var signal = Harness.Services.GetRequiredService<OutboxSignal>();

        var until = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(2);
        while (TimeProvider.System.GetUtcNow() < until)
        {
            signal.Notify();
            await Task.Delay(5);
        }

        // Backing off from 250-500 ms and doubling, at most 1 + 4 passes fit in 2 s; woken by each signal, hundreds.
        Assert.InRange(probe!.Calls, 1, 6);
        Assert.False(Harness.Dispatcher.ExecuteTask!.IsCompleted);
    }

    [Fact]
    public async Task Stop_ReleasingTheLeasesFailsWithAFaultThatIsNoOutage_TheStopEndsAndTheLeasesRunOut()
    {
        await StartAsync(more: (services, _) => services.AddSingleton<IOutboxStore>(sp => FirstCallFails<IOutboxStore>.Wrap(
            new OutboxStore(sp.GetRequiredService<IStoreConnections>(), sp.GetRequiredService<TimeProvider>()),
            nameof(IOutboxStore.ReleaseAllAsync), new ArgumentException("a driver refused a parameter (test)")).Service));

        await Harness.Dispatcher.StopAsync(CancellationToken.None);

        Assert.False(Harness.Dispatcher.ExecuteTask!.IsFaulted);
    }
}
