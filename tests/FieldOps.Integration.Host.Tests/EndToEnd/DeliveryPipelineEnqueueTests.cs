using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Testing.EndToEnd;
using Microsoft.Extensions.DependencyInjection;

namespace FieldOps.Integration.Host.Tests.EndToEnd;

/// <summary>
/// The end-to-end harness's own promise: a row the test enqueues is in the outbox, even while the running router
/// polls the inbox as fast as it can (it once took the test's carrier event first, found it unmatched, and the row
/// was never written: "outbox row … did not settle: missing" on a loaded CI machine).
/// </summary>
public sealed class DeliveryPipelineEnqueueTests
{
    [Fact]
    public async Task EnqueueAsync_WhileTheRouterPollsEveryMillisecond_WritesEveryRow()
    {
        await using var pipeline = await DeliveryPipeline.StartAsync(new Dictionary<string, string?>
        {
            ["Mappings:IdleDelay"] = "00:00:00.001",
            ["Dispatcher:PollInterval"] = "00:01:00",
        }, (_, _) => { });
        var store = pipeline.Services.GetRequiredService<IOutboxStore>();

        var missing = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            var id = await pipeline.EnqueueAsync("nowhere", "create", "Thing", new { n = i }, $"thing:{i}");
            if (await store.GetStatusAsync(id, CancellationToken.None) is null)
                missing.Add(id);
        }

        Assert.Empty(missing);
    }
}
