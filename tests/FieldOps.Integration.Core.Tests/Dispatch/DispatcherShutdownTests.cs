using FieldOps.Integration.Core.Tests.Support;

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
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = HoldingThingsTarget(answer.Task);
        await Db.AddRowsAsync(Thing("k1"));
        await StartAsync(new() { ["Dispatcher:ShutdownTimeout"] = "00:00:08" });
        // The call must have reached the target: a row claimed ahead but not yet sent goes back unsent at once on stop.
        await arrived.WaitAsync(Patience);
        var dispatcher = Harness.Dispatcher;

        var stop = dispatcher.StopAsync(CancellationToken.None);
        await Task.Delay(100);
        Assert.False(stop.IsCompleted); // it waits for the call, which the target holds
        dispatcher.Dispose();
        answer.SetResult();

        await stop.WaitAsync(Patience);
    }
}
