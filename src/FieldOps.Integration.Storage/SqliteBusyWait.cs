using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace FieldOps.Integration.Storage;

/// <summary>
/// How a SQLite connection waits for the write lock that another connection holds. SQLite's own <c>busy_timeout</c>
/// handler sleeps 1, 2, 5, 10, 15, 20, 25 … and then 50–100 ms between tries: with the intake, the router and the
/// dispatcher writing at once, the lock often sat free while every waiter slept, and an acknowledgement waited tens to
/// hundreds of milliseconds behind a commit that took two. This handler tries again at once a few times and then about
/// every millisecond, for as long as <see cref="StoreOptions.BusyTimeout"/>. Where the native entry point cannot be
/// found, the connection keeps SQLite's handler (same timeout, slower wake-up).
/// </summary>
internal static class SqliteBusyWait
{
    private const int Yields = 8;

    [ThreadStatic]
    private static long t_waitingSince;

    // SQLite keeps the function pointer for the connection's lifetime: the delegate must never be collected.
    private static readonly NativeMethods.BusyHandler Handler = OnBusy;
    private static volatile bool s_unavailable;

    /// <summary>Replaces the connection's busy handler (call after <c>PRAGMA busy_timeout</c>, which installs SQLite's).</summary>
    public static void Install(SqliteConnection connection, TimeSpan timeout)
    {
        if (s_unavailable || connection.Handle is not { } handle)
            return;
        try
        {
            if (NativeMethods.sqlite3_busy_handler(handle.DangerousGetHandle(), Handler, new IntPtr(Math.Min((long)timeout.TotalMilliseconds, int.MaxValue))) != 0)
                s_unavailable = true; // refused (SQLITE_MISUSE): keep SQLite's handler
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            s_unavailable = true; // another SQLite build: its own busy_timeout handler stays
        }
    }

    private static int OnBusy(IntPtr timeoutMs, int count)
    {
        var now = Stopwatch.GetTimestamp();
        if (count == 0)
            t_waitingSince = now;
        if (Stopwatch.GetElapsedTime(t_waitingSince, now).TotalMilliseconds >= timeoutMs)
            return 0; // SQLITE_BUSY to the caller, as busy_timeout would
        if (count < Yields)
            Thread.Yield();
        else
            Thread.Sleep(1);
        return 1;
    }

    private static class NativeMethods
    {
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate int BusyHandler(IntPtr timeoutMs, int count);

        [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.AssemblyDirectory | DllImportSearchPath.SafeDirectories)]
        public static extern int sqlite3_busy_handler(IntPtr db, BusyHandler handler, IntPtr timeoutMs);
    }
}
