using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Host.Startup;
using Quartz;

namespace FieldOps.Integration.Host.Jobs;

/// <summary>
/// Starts the Quartz scheduler once the store's schema is current, and keeps trying while the store is unreachable:
/// on PostgreSQL and SQL Server the schedule lives in the store's database, and a store that is down at start must
/// not stop the service (the intake answers 503 meanwhile and readiness names the store). Stops it with the host,
/// waiting for a running poll to finish, so its node leaves the cluster cleanly and another takes its jobs at once.
/// </summary>
internal sealed partial class SchedulerStartService(ISchedulerFactory schedulers, StoreSchemaStatus schema, ILogger<SchedulerStartService> logger)
    : BackgroundService
{
    private readonly LoopFaults _faults = new("Job scheduler start (Quartz)", logger);
    private volatile IScheduler? _scheduler;

    /// <summary>The running scheduler, or null while it waits for the store.</summary>
    public IScheduler? Scheduler => _scheduler;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await schema.CurrentAsync(stoppingToken).ConfigureAwait(false);
            while (true)
            {
                try
                {
                    var scheduler = await schedulers.GetScheduler(stoppingToken).ConfigureAwait(false);
                    await scheduler.Start(stoppingToken).ConfigureAwait(false);
                    _scheduler = scheduler;
                    _faults.Succeeded();
                    LogStarted(logger, await scheduler.GetSchedulerInstanceId(stoppingToken).ConfigureAwait(false));
                    return;
                }
                catch (Exception ex) when (IsStoreFault(ex) && !stoppingToken.IsCancellationRequested)
                {
                    await Task.Delay(_faults.Failed(ex), stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_scheduler is { } scheduler)
            await scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken).ConfigureAwait(false);
    }

    // Quartz wraps what the database said in its own exceptions (JobPersistenceException, SchedulerException).
    private static bool IsStoreFault(Exception exception) =>
        LoopFaults.IsTransient(exception) || exception is SchedulerException;

    [LoggerMessage(Level = LogLevel.Information, Message = "Job scheduler started as node {Node}")]
    private static partial void LogStarted(ILogger logger, string node);
}
