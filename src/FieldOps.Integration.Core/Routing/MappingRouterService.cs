using FieldOps.Integration.Core.Mapping.Loading;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Routing;

/// <summary>Runs the router: a batch at a time while there is work, a short sleep when the inbox has nothing new.</summary>
public sealed class MappingRouterService(MappingRouter router, IOptions<MappingOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var idle = options.Value.IdleDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (await router.RouteBatchAsync(stoppingToken).ConfigureAwait(false) == 0)
                await Task.Delay(idle, time, stoppingToken).ConfigureAwait(false);
        }
    }
}
