using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Mapping.Loading;

/// <summary>
/// Hot reload: a <see cref="FileSystemWatcher"/> on the mappings folder, debounced, plus a periodic content-hash check
/// in case a change event was missed. Editing, adding or deleting a file takes effect without a restart.
/// </summary>
internal sealed class MappingWatcher(MappingCatalog catalog, IOptions<MappingOptions> options, TimeProvider time) : BackgroundService
{
    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var watcher = Watch();
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            using var periodic = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            periodic.CancelAfter(settings.ReloadCheckInterval);
            try
            {
                await _changes.Reader.ReadAsync(periodic.Token).ConfigureAwait(false);
                await DebounceAsync(settings.ReloadDebounce, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // The periodic check: fall through and compare hashes.
            }
            if (MappingLoader.HashFolder(catalog.Root) != catalog.LastSeenHash)
                catalog.Reload();
        }
    }

    private async Task DebounceAsync(TimeSpan quiet, CancellationToken stoppingToken)
    {
        while (true)
        {
            await Task.Delay(quiet, time, stoppingToken).ConfigureAwait(false);
            if (!_changes.Reader.TryRead(out _))
                return;
        }
    }

    private FileSystemWatcher? Watch()
    {
        if (!Directory.Exists(catalog.Root))
            return null;
        var watcher = new FileSystemWatcher(catalog.Root) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.DirectoryName };
        FileSystemEventHandler changed = (_, _) => _changes.Writer.TryWrite(true);
        watcher.Changed += changed;
        watcher.Created += changed;
        watcher.Deleted += changed;
        watcher.Renamed += (_, _) => _changes.Writer.TryWrite(true);
        watcher.Error += (_, _) => _changes.Writer.TryWrite(true);
        watcher.EnableRaisingEvents = true;
        return watcher;
    }
}
