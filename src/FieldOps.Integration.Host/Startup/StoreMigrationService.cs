using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Storage.Migrations;

namespace FieldOps.Integration.Host.Startup;

/// <summary>
/// Brings the schema up to date when the service starts. If the store is down, the service still starts (health
/// says not ready, webhooks get 503) and the migration is retried until it succeeds.
/// </summary>
internal sealed partial class StoreMigrationService(
    MigrationRunner runner, StoreSchemaStatus schema, ITokenStore tokens, TokenProtector protector, IHostApplicationLifetime lifetime, ILogger<StoreMigrationService> logger) : IHostedService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);
    private readonly LoopFaults _faults = new("Store migration (retried every 5 s)", logger);
    private Task _retry = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!await TryMigrateAsync(cancellationToken).ConfigureAwait(false))
            _retry = RetryAsync(lifetime.ApplicationStopping);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The retry loop ends with ApplicationStopping, which fires before hosted services stop.
        await _retry.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

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
            // Before the other services start (when the store is up at start): tokens stored or rotated away by an
            // earlier process are scrubbed by value from everything this one writes or prints.
            var learnt = await StoredTokens.TeachScrubberAsync(tokens, protector, cancellationToken).ConfigureAwait(false);
            _faults.Succeeded();
            schema.MarkCurrent();
            LogMigrated(logger, applied, learnt);
            return true;
        }
        catch (Exception ex) when ((LoopFaults.IsTransient(ex) || ex is InvalidOperationException) && !cancellationToken.IsCancellationRequested)
        {
            _faults.Failed(ex); // logged once; readiness names the store until the schema is current
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Store schema is current ({Applied} migrations applied now); {Tokens} stored tokens known to the scrubber")]
    private static partial void LogMigrated(ILogger logger, int applied, int tokens);
}
