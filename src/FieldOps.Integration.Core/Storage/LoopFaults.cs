using System.Data.Common;
using System.Diagnostics;
using System.Net.Sockets;
using FieldOps.Integration.Core.Text;
using Microsoft.Extensions.Logging;

namespace FieldOps.Integration.Core.Storage;

/// <summary>
/// How a background loop (router, dispatcher, hydration, polling, housekeeping, migration) rides out a store or
/// network fault: it logs once when the loop starts failing and once when it recovers (not per iteration), waits a
/// bounded, jittered backoff between tries, and carries on when the store is back. A fault of another kind (a bug, or
/// data no store takes) is logged as such, with its stack, once per failing streak, and waited out the same way: one
/// bad event or row must not stop the service (the host would stop, be restarted and meet it again), and what the loop
/// does next time may pass (a new batch, a reloaded mapping, a fixed row).
/// </summary>
public sealed partial class LoopFaults(string loop, ILogger logger, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null, Func<double>? random = null)
{
    private readonly TimeSpan _baseDelay = baseDelay ?? TimeSpan.FromMilliseconds(500);
    private readonly TimeSpan _maxDelay = maxDelay ?? TimeSpan.FromSeconds(10);
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;
    private readonly Lock _lock = new();
    private int _failures;
    // Whether this streak's unexpected fault was logged: a streak that began as an outage logs the first bug it meets too.
    private bool _unexpectedLogged;
    // When the streak began (Stopwatch ticks) and its last fault, for readiness (LoopsHealthCheck).
    private long _since;
    private string _lastFault = "";

    /// <summary>The loop's name, as its log lines and readiness say it.</summary>
    public string Loop => loop;

    /// <summary>
    /// The failing streak, or null while the last try succeeded: how long it has lasted, how many tries failed, the
    /// last fault (its type and message) and whether that fault is no outage (a bug, or data no store takes).
    /// </summary>
    public LoopStreak? Streak
    {
        get
        {
            lock (_lock)
                return _failures == 0 ? null : new LoopStreak(Stopwatch.GetElapsedTime(_since), _failures, _lastFault, _unexpectedLogged);
        }
    }

    /// <summary>True while the last try failed.</summary>
    public bool Failing
    {
        get
        {
            lock (_lock)
                return _failures > 0;
        }
    }

    /// <summary>True for the faults a loop waits out: the store or the network is unavailable, a disk is full or read-only.</summary>
    public static bool IsTransient(Exception? exception) =>
        exception is DbException or IOException or TimeoutException or HttpRequestException or SocketException or UnauthorizedAccessException
        || exception?.InnerException is { } inner && IsTransient(inner);

    /// <summary>
    /// Records a failed try and returns how long to wait before the next: half the ceiling plus up to half again at
    /// random, the ceiling doubling from the base delay up to the maximum.
    /// </summary>
    public TimeSpan Failed(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var unexpected = !IsTransient(exception);
        int failures;
        bool logUnexpected;
        lock (_lock)
        {
            failures = ++_failures;
            if (failures == 1)
                _since = Stopwatch.GetTimestamp();
            _lastFault = $"{exception.GetType().Name}: {TextCut.Excerpt(exception.Message, 200)}";
            logUnexpected = unexpected && !_unexpectedLogged;
            _unexpectedLogged |= unexpected;
        }
        if (logUnexpected)
            LogUnexpected(logger, loop, exception.GetType().Name, exception.Message, exception);
        else if (failures == 1)
            LogFailing(logger, loop, exception.GetType().Name, exception.Message, exception);
        var ceiling = Math.Min(_maxDelay.TotalMilliseconds, _baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 20)));
        return TimeSpan.FromMilliseconds(ceiling / 2 + ceiling / 2 * _random());
    }

    /// <summary>Records a successful try; logs the recovery once when the loop was failing.</summary>
    public void Succeeded()
    {
        int failures;
        lock (_lock)
        {
            failures = _failures;
            _failures = 0;
            _unexpectedLogged = false;
        }
        if (failures > 0)
            LogRecovered(logger, loop, failures);
    }

    [LoggerMessage(Level = LogLevel.Error,
        Message = "{Loop} cannot reach the store or its target ({Fault}: {Detail}); it keeps trying with backoff and logs again when it recovers")]
    private static partial void LogFailing(ILogger logger, string loop, string fault, string detail, Exception exception);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "{Loop} failed unexpectedly ({Fault}: {Detail}); it keeps trying with backoff and logs again when it recovers")]
    private static partial void LogUnexpected(ILogger logger, string loop, string fault, string detail, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Loop} recovered after {Failures} failed tries")]
    private static partial void LogRecovered(ILogger logger, string loop, int failures);
}

/// <summary>A background loop's failing streak (<see cref="LoopFaults.Streak"/>).</summary>
/// <param name="Length">How long the loop has been failing.</param>
/// <param name="Failures">How many tries failed in a row.</param>
/// <param name="LastFault">The last fault's type and message (cut).</param>
/// <param name="Unexpected">True when a fault of the streak is no outage: a bug, or data no store takes.</param>
public sealed record LoopStreak(TimeSpan Length, int Failures, string LastFault, bool Unexpected);

/// <summary>A background service whose loop rides out faults with <see cref="LoopFaults"/>, which readiness reads.</summary>
public interface IReportsLoopFaults
{
    /// <summary>The faults of the service's loops (one each; hydration has its scan and its write-backs).</summary>
    IReadOnlyList<LoopFaults> Faults { get; }
}
