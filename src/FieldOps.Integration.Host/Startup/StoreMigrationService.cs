using FieldOps.Integration.Storage.Migrations;

namespace FieldOps.Integration.Host.Startup;

/// <summary>
/// Brings the schema up to date when the service starts. If the store is down, the service still starts (health
/// says not ready, webhooks get 503) and the migration is retried until it succeeds.
/// </summary>
internal sealed partial class StoreMigrationService(MigrationRunner runner, ILogger<StoreMigrationService> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _stopping = new();
    private Task _retry = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!await TryMigrateAsync(cancellationToken).ConfigureAwait(false))
            _retry = RetryAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _retry.ConfigureAwait(false);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task RetryAsync(CancellationToken stopping)
    {
        try
        {
            do
            {
                await Task.Delay(RetryDelay, stopping).ConfigureAwait(false);
            }
            while (!await TryMigrateAsync(stopping).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> TryMigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            var applied = await runner.MigrateAsync(cancellationToken).ConfigureAwait(false);
            LogMigrated(logger, applied);
            return true;
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or InvalidOperationException)
        {
            LogMigrationFailed(logger, ex);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Store schema is current ({Applied} migrations applied now)")]
    private static partial void LogMigrated(ILogger logger, int applied);

    [LoggerMessage(Level = LogLevel.Error, Message = "Store migration failed; retrying in 5 s")]
    private static partial void LogMigrationFailed(ILogger logger, Exception exception);
}
