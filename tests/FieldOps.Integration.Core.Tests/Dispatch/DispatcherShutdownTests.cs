using FieldOps.Integration.Core.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace FieldOps.Integration.Core.Tests.Dispatch;

/// <summary>
/// A host that is disposed before (or again after) it is stopped must not fail its shutdown: seen once in CI, a test
/// host's StopAsync reached the dispatcher after its token sources were disposed (ObjectDisposedException).
/// </summary>
public sealed class DispatcherShutdownTests : DispatcherTestBase
{
    [Fact]
    public async Task Stop_AfterTheDispatcherWasDisposed_DoesNotThrow()
    {
        await Db.AddRowsAsync(Thing("k1"));
        await StartAsync();
        var dispatcher = Harness.Dispatcher;

        dispatcher.Dispose();
        dispatcher.Dispose();

        await dispatcher.StopAsync(CancellationToken.None);
    }

    /// <summary>
    /// Disposed while its stop waits for a delivery in flight (the host's container disposed during a shutdown, seen in
    /// CI in two host tests): the stop ends quietly instead of cancelling token sources that are gone.
    /// </summary>
    [Fact]
    public async Task Dispose_WhileTheStopDrainsADelivery_TheStopDoesNotThrow()
    {
        Target.Given(Request.Create().WithPath("/things/*").UsingPut())
            .RespondWith(Response.Create().WithDelay(TimeSpan.FromMilliseconds(600)).WithBodyAsJson(new { id = "ok" }));
        await Db.AddRowsAsync(Thing("k1"));
        await StartAsync(new() { ["Dispatcher:ShutdownTimeout"] = "00:00:08" });
        await DispatcherHarness.WaitForAsync(async () => await Db.ScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE lease_owner IS NOT NULL") > 0, Patience);
        var dispatcher = Harness.Dispatcher;

        var stop = dispatcher.StopAsync(CancellationToken.None);
        await Task.Delay(100); // the stop waits for the call, which the target answers after 600 ms
        Assert.False(stop.IsCompleted);
        dispatcher.Dispose();

        await stop.WaitAsync(Patience);
    }
}
