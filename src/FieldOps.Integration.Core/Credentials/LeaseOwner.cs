using System.Diagnostics;
using System.Globalization;

namespace FieldOps.Integration.Core.Credentials;

/// <summary>
/// Who holds a refresh lease, written so that a lease left by a process that has since died can be recognised:
/// <c>[role|]machine|host key|pid|process start (Unix ms)|random</c>. The host key ties the pid to one kernel boot and
/// one pid namespace (Linux: <c>/proc/sys/kernel/random/boot_id</c> and <c>/proc/self/ns/pid</c>), so a pid is only
/// ever compared with the processes it could name. Elsewhere the key is empty and no lease is ever judged dead: the
/// lease then runs out by its time, as before.
/// </summary>
public static class LeaseOwner
{
    private const char Separator = '|';
    private static readonly TimeSpan StartTolerance = TimeSpan.FromSeconds(1);
    private static readonly Lazy<string> s_hostKey = new(ReadHostKey);
    private static readonly Lazy<long> s_started = new(CurrentStart);

    /// <summary>This host's key (empty where it cannot be read: then no lease is ever taken over).</summary>
    public static string HostKey => s_hostKey.Value;

    /// <summary>A new owner id for this process; <paramref name="role"/> (e.g. <c>connect</c>) only helps a reader.</summary>
    public static string New(string? role = null) => Format(role, Environment.ProcessId, s_started.Value);

    /// <summary>An owner id for process <paramref name="pid"/> of this host started at <paramref name="startedAtUnixMs"/>.</summary>
    public static string Format(string? role, int pid, long startedAtUnixMs) =>
        string.Join(Separator, new[]
        {
            role, Environment.MachineName.Replace(Separator, '_'), HostKey, pid.ToString(CultureInfo.InvariantCulture),
            startedAtUnixMs.ToString(CultureInfo.InvariantCulture), Guid.NewGuid().ToString("N"),
        }.Where(p => p is not null));

    /// <summary>When <paramref name="process"/> started, in Unix milliseconds.</summary>
    public static long StartOf(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero).ToUnixTimeMilliseconds();
    }

    /// <summary>
    /// True only when <paramref name="owner"/> is provably dead: it was a process of this very host (same host key) and
    /// no process with its pid runs now, or the process with that pid started at another time (the pid was reused).
    /// Anything else — another host, an unreadable id, a process that cannot be inspected — counts as alive.
    /// </summary>
    public static bool IsDeadOnThisHost(string? owner)
    {
        if (string.IsNullOrEmpty(owner) || HostKey.Length == 0)
            return false;
        var parts = owner.Split(Separator);
        if (parts.Length < 5
            || !string.Equals(parts[^4], HostKey, StringComparison.Ordinal)
            || !int.TryParse(parts[^3], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[^2], NumberStyles.None, CultureInfo.InvariantCulture, out var started))
            return false;
        if (pid == Environment.ProcessId)
            return !SameStart(s_started.Value, started);
        try
        {
            using var process = Process.GetProcessById(pid);
            return !SameStart(StartOf(process), started);
        }
        catch (ArgumentException)
        {
            return true; // no process has that pid
        }
        catch (InvalidOperationException)
        {
            return true; // it exited while being looked at
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or NotSupportedException or UnauthorizedAccessException or IOException)
        {
            return false; // cannot tell: leave the lease to run out
        }
    }

    private static long CurrentStart()
    {
        using var current = Process.GetCurrentProcess();
        return StartOf(current);
    }

    private static bool SameStart(long a, long b) => Math.Abs(a - b) <= (long)StartTolerance.TotalMilliseconds;

    private static string ReadHostKey()
    {
        try
        {
            if (!OperatingSystem.IsLinux())
                return "";
            var boot = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
            var pidNamespace = new FileInfo("/proc/self/ns/pid").LinkTarget;
            return boot.Length == 0 || string.IsNullOrEmpty(pidNamespace) ? "" : $"{boot}/{pidNamespace}".Replace(Separator, '_');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return "";
        }
    }
}
