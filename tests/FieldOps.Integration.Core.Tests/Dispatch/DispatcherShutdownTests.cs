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
}
