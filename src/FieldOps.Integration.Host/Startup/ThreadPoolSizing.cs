using System.Globalization;

namespace FieldOps.Integration.Host.Startup;

/// <summary>
/// How many thread-pool worker threads the service starts without delay when work waits (<c>ThreadPool:MinWorkerThreads</c>).
/// .NET's minimum is one per core; beyond it the pool adds threads only slowly (about one every half second) while every
/// thread is busy. Every SQLite call blocks the thread it runs on (Microsoft.Data.Sqlite's async methods run
/// synchronously, a commit's fsync included): with the router and the dispatcher committing, both threads of a two-core
/// machine were often inside such a call, and a webhook's acknowledgement waited in the pool's queue for a free thread.
/// Issue 15 measured, at a steady 500 webhooks/s with the pipeline draining, an acknowledgement p99 of 168–331 ms with
/// .NET's minimum and 29–35 ms with a minimum of 16, 32 or 64 (PostgreSQL at 200/s: 124 against 55 ms).
/// </summary>
internal static class ThreadPoolSizing
{
    public const string Key = "ThreadPool:MinWorkerThreads";

    /// <summary>The minimum unless configured: enough for every writer and reader that may block at once.</summary>
    public const int Default = 16;

    /// <summary>The most that may be configured (more would only cost memory: each thread has its own stack).</summary>
    public const int Max = 1024;

    private static readonly Lock Raising = new();

    /// <summary>
    /// The configured number: <see cref="Default"/> when the key is missing or blank; a value that is not a whole number
    /// from 1 to <see cref="Max"/> stops the start, naming the key.
    /// </summary>
    public static int Read(IConfiguration configuration)
    {
        var text = configuration[Key];
        if (string.IsNullOrWhiteSpace(text))
            return Default;
        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var wanted) || wanted < 1 || wanted > Max)
            throw new ConfigurationException($"{Key}: '{text}' is not a whole number from 1 to {Max} (worker threads the pool starts without delay; default {Default}).");
        return wanted;
    }

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
            if (wanted > workers)
                ThreadPool.SetMinThreads(wanted, completionPorts);
            ThreadPool.GetMinThreads(out workers, out _);
            return workers;
        }
    }
}
