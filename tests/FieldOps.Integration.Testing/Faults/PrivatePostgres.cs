using System.Diagnostics;
using Xunit;

namespace FieldOps.Integration.Testing.Faults;

/// <summary>
/// A throwaway PostgreSQL cluster of this test alone (initdb in a temp folder, on a free loopback port, trust auth), so
/// a test can stop and start its server without touching the shared cluster that other tests use in parallel. As root
/// the server runs as the <c>postgres</c> user (PostgreSQL refuses root). Removed on dispose.
/// </summary>
public sealed class PrivatePostgres : IDisposable
{
    private readonly string _directory;
    private readonly string _data;

    private PrivatePostgres(string directory, int port)
    {
        _directory = directory;
        _data = Path.Combine(directory, "data");
        Port = port;
    }

    // Declared before Unavailable: static initializers run in text order.
    private static string? BinDirectory { get; } = FindBin();

    /// <summary>Null when a private cluster can be made here, else why not (for the skip message).</summary>
    public static string? Unavailable { get; } = Probe();

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=3";

    private static bool AsRoot => Environment.UserName == "root";

    /// <summary>Creates the cluster (not started).</summary>
    public static PrivatePostgres Create()
    {
        var directory = Path.Combine(Path.GetTempPath(), "fieldops-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        if (AsRoot)
            Run("chown", "postgres:postgres", directory);
        var cluster = new PrivatePostgres(directory, LoopbackPorts.Free());
        Pg("initdb", "-D", cluster._data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
        return cluster;
    }

    public void Start() =>
        Pg("pg_ctl", "-D", _data, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "30", "-o",
            $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={_directory}", "start");

    /// <summary>Stops the server as an admin would (<c>-m fast</c>: clients are disconnected, open transactions rolled back).</summary>
    public void Stop() => Pg("pg_ctl", "-D", _data, "-m", "fast", "-w", "-t", "30", "stop");

    public void Dispose()
    {
        try
        {
            Pg("pg_ctl", "-D", _data, "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // not running
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void Pg(string tool, params string[] arguments)
    {
        var path = Path.Combine(BinDirectory!, tool);
        var (code, text) = AsRoot ? Run("runuser", ["-u", "postgres", "--", path, .. arguments]) : Run(path, arguments);
        if (code != 0)
            throw new InvalidOperationException($"{tool} failed ({code}): {text}");
    }

    private static string? FindBin()
    {
        if (!Directory.Exists("/usr/lib/postgresql"))
            return null;
        return Directory.EnumerateDirectories("/usr/lib/postgresql")
            .Select(d => Path.Combine(d, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
            .OrderByDescending(b => b, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private static string? Probe()
    {
        if (BinDirectory is null)
            return "PostgreSQL server binaries (initdb, pg_ctl under /usr/lib/postgresql/*/bin) are not installed";
        if (AsRoot && Run("id", "postgres").Code != 0)
            return "running as root and there is no 'postgres' user to run the server as";
        return null;
    }

    private static (int Code, string Text) Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error.Result + output);
    }
}

/// <summary>A fact that needs a private PostgreSQL cluster: reported skipped, with the reason, where one cannot be made.</summary>
public sealed class PrivatePostgresFactAttribute : FactAttribute
{
    public PrivatePostgresFactAttribute()
    {
        if (PrivatePostgres.Unavailable is { } reason)
            Skip = $"SKIPPED: {reason}; the PostgreSQL fault tests stop and start a private cluster of their own";
    }
}
