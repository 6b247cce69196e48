using System.Globalization;

namespace FieldOps.Integration.Host.Startup;

/// <summary>
/// How many thread-pool worker threads the service keeps ready (<c>ThreadPool:MinWorkerThreads</c>). .NET starts with one
/// per core and adds more only slowly (about one every half second) when every thread is busy. Much of the service's
/// work blocks the thread it runs on: every SQLite call (Microsoft.Data.Sqlite's async methods run synchronously, a
/// commit's fsync included) and the connectors' and stores' short waits. With the router and the dispatcher committing,
/// both of a two-core machine's threads were often inside such a call, and a webhook's acknowledgement waited in the
/// pool's queue for a free thread: issue 15 measured an acknowledgement p99 of 283–331 ms at a steady 500 webhooks/s
/// with the pipeline draining, and 32–35 ms with 16, 32 or 64 threads kept ready (124 against 55 ms on PostgreSQL at 200/s).
/// </summary>
internal static class ThreadPoolSizing
{
    public const string Key = "ThreadPool:MinWorkerThreads";

    /// <summary>Threads kept ready unless configured: enough for every writer and reader that may block at once.</summary>
    public const int Default = 16;

    /// <summary>The most that may be configured (more would only cost memory: each thread has its own stack).</summary>
    public const int Max = 1024;

    /// <summary>
    /// Raises the pool's minimum of worker threads to the configured number (default <see cref="Default"/>, and never below
    /// .NET's own minimum, one per core); returns the minimum in effect. A value that is not a whole number from 1 to
    /// <see cref="Max"/> stops the start, naming the key.
    /// </summary>
    public static int Apply(IConfiguration configuration)
    {
        var wanted = Default;
        if (configuration[Key] is { } text)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out wanted) || wanted < 1 || wanted > Max)
                throw new ConfigurationException($"{Key}: '{text}' is not a whole number from 1 to {Max} (worker threads kept ready; default {Default}).");
        }
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        if (wanted > workers)
            ThreadPool.SetMinThreads(wanted, completionPorts);
        ThreadPool.GetMinThreads(out workers, out _);
        return workers;
    }
}
