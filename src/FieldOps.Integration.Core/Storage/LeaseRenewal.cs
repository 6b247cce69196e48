using Microsoft.Extensions.Logging;

namespace FieldOps.Integration.Core.Storage;

/// <summary>
/// Keeps a worker's leases alive while its work runs: every third of the lease it calls the store's renewal, until
/// stopped. Any claim-and-lease loop can use it (the dispatcher's outbox rows now): the work may take longer than one
/// lease, while a dead worker's rows are still taken over within one lease of its death.
/// </summary>
internal static class LeaseRenewal
{
    /// <summary>The renewal period for <paramref name="lease"/>: a third of it, at least 50 ms.</summary>
    public static TimeSpan IntervalFor(TimeSpan lease) => lease / 3 > TimeSpan.FromMilliseconds(50) ? lease / 3 : TimeSpan.FromMilliseconds(50);

    /// <summary>Runs until <paramref name="stoppingToken"/> is cancelled; a failed renewal (whatever failed) is logged and tried again next tick.</summary>
    /// <param name="renew">Extends the leases still held as of the given time; returns how many.</param>
    /// <param name="lease">The lease length each renewal grants.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where a failed renewal is reported.</param>
    /// <param name="stoppingToken">Stops the loop.</param>
    public static async Task RunAsync(
        Func<DateTimeOffset, CancellationToken, Task<int>> renew, TimeSpan lease, TimeProvider time, ILogger logger, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(renew);
        ArgumentNullException.ThrowIfNull(time);
        using var timer = new PeriodicTimer(IntervalFor(lease), time);
        var faults = new LoopFaults("Lease renewal", logger);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await renew(time.GetUtcNow(), stoppingToken).ConfigureAwait(false);
                    faults.Succeeded();
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // Tried again at the next tick; a lease not renewed in time lapses and its row is claimed again. Not only
                    // a store fault: a renewal loop that ended would let every lease lapse under calls still running.
                    faults.Failed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
