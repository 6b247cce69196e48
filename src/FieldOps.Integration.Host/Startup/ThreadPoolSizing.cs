using System.Globalization;
using FieldOps.Integration.Core.Storage;

namespace FieldOps.Integration.Host.Startup;

/// <summary>
/// How many thread-pool worker threads the service starts without delay when work waits (<c>ThreadPool:MinWorkerThreads</c>).
/// .NET's minimum is one per core; beyond it the pool adds threads only slowly (about one every half second) while every
/// thread is busy. Every SQLite call blocks the thread it runs on (Microsoft.Data.Sqlite's async methods run
/// synchronously, a commit's fsync included): with the router and the dispatcher committing, both threads of a two-core
/// machine were often inside such a call, and a webhook's acknowledgement waited in the pool's queue for a free thread.
/// Issue 15 measured, at a steady 500 webhooks/s with the pipeline draining, an acknowledgement p99 of 168–331 ms with
/// .NET's minimum and 29–35 ms with a minimum of 16, 32 or 64 (the drain ~5–10 % slower: the intake runs beside the
/// pipeline instead of queueing behind it); at full speed, 1.5–2.6× the webhooks accepted per second while the pipeline
/// drains, at no measurable cost to the drain.
/// </summary>
internal static class ThreadPoolSizing
{
    public const string Key = "ThreadPool:MinWorkerThreads";

    /// <summary>
    /// The minimum unless configured, on SQLite: enough for every writer and reader that may block at once. On PostgreSQL
    /// and SQL Server nothing is set unless configured: their drivers wait without holding a thread, and there 16 threads
    /// only cost (PostgreSQL at full speed, same binary, 2 pairs: drain 25 / 26 against 32 / 33 jobs/s).
    /// </summary>
    public const int SqliteDefault = 16;

    /// <summary>The most that may be configured (more would only cost memory: each thread has its own stack).</summary>
    public const int Max = 1024;

    private static readonly Lock Raising = new();

    /// <summary>
    /// The configured number; when the key is missing or blank, <see cref="SqliteDefault"/> on SQLite (<c>Store:Provider</c>
    /// unset or <c>Sqlite</c>) and null (leave .NET's minimum) on a server database. A value that is not a whole number
    /// from 1 to <see cref="Max"/> stops the start, naming the key.
    /// </summary>
    public static int? Read(IConfiguration configuration)
    {
        var text = configuration[Key];
        if (string.IsNullOrWhiteSpace(text))
            return BlocksThreads(configuration["Store:Provider"]) ? SqliteDefault : null;
        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var wanted) || wanted < 1 || wanted > Max)
            throw new ConfigurationException($"{Key}: '{text}' is not a whole number from 1 to {Max} (worker threads the pool starts without delay; default {SqliteDefault} on SQLite).");
        return wanted;
    }

    // SQLite's calls block their thread; a provider name the store's own check refuses later counts as SQLite here.
    private static bool BlocksThreads(string? provider) =>
        string.IsNullOrWhiteSpace(provider)
        || !Enum.TryParse<StoreProvider>(provider.Trim(), ignoreCase: true, out var parsed)
        || parsed == StoreProvider.Sqlite;

    /// <summary>
    /// Raises the pool's minimum of worker threads to the configured number (never lowers it: .NET's own minimum is one
    /// per core, and hosts built in one process, as the tests do, only ever raise it); returns the minimum in effect.
    /// </summary>
    public static int Apply(IConfiguration configuration)
    {
        var wanted = Read(configuration);
        lock (Raising)
        {
            ThreadPool.GetMinThreads(out var workers, out var completionPorts);
            if (wanted is { } raised && raised > workers)
                ThreadPool.SetMinThreads(raised, completionPorts);
            ThreadPool.GetMinThreads(out workers, out _);
            return workers;
        }
    }
}
