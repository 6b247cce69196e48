using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Integration.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Routing;

/// <summary>
/// Runs the router: a batch at a time while there is work, a short sleep when the inbox has nothing new. While the
/// store fails it backs off (<see cref="LoopFaults"/>) and carries on when the store is back; the events wait in the inbox.
/// A fault of another kind is logged as unexpected and waited out the same way: escaping, it would stop the host, and the
/// restarted service would claim the same events and stop again.
/// </summary>
public sealed class MappingRouterService(MappingRouter router, IOptions<MappingOptions> options, TimeProvider time, ILogger<MappingRouterService> logger)
    : BackgroundService, IReportsLoopFaults
{
    private readonly LoopFaults _faults = new("The router", logger);

    public IReadOnlyList<LoopFaults> Faults => [_faults];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var idle = options.Value.IdleDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan? wait;
            try
            {
                wait = await router.RouteBatchAsync(stoppingToken).ConfigureAwait(false) == 0 ? idle : null;
                _faults.Succeeded();
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                wait = _faults.Failed(ex);
            }
            if (wait is { } delay)
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
        }
    }
}
