using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using FieldOps.Bench;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace FieldOps.LoadDriver;

/// <summary>
/// The real <c>fieldops</c> process (the Release build beside this driver), on a fresh SQLite file (synchronous=FULL,
/// as shipped) or a throwaway PostgreSQL database, wired to the vendor stubs; its peak RSS and WAL size are sampled.
/// </summary>
internal sealed class FieldOpsProcess : IAsyncDisposable
{
    public const string Secret = "load-driver-jobber-secret";
    private readonly Process _process;
    private readonly string _folder;
    private readonly string? _postgresDatabase;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private long _peakWal;

    private FieldOpsProcess(Process process, string folder, string? postgresDatabase, string connectionString, int port)
    {
        _process = process;
        _folder = folder;
        _postgresDatabase = postgresDatabase;
        ConnectionString = connectionString;
        Url = $"http://127.0.0.1:{port}";
        _sampler = SampleAsync(_stop.Token);
    }

    public string Url { get; }

    public string ConnectionString { get; }

    public bool Postgres => _postgresDatabase is not null;

    /// <summary>Peak resident set size in MB (the kernel's high-water mark, VmHWM).</summary>
    public double PeakRssMb => ReadStatus("VmHWM:") / 1024.0;

    /// <summary>The largest the SQLite WAL file was seen (sampled every 50 ms), in MB; 0 on PostgreSQL.</summary>
    public double PeakWalMb => Interlocked.Read(ref _peakWal) / (1024.0 * 1024.0);

    public static async Task<FieldOpsProcess> StartAsync(LoadOptions options, string stubs)
    {
        var folder = Path.Combine(Path.GetTempPath(), "fieldops-loaddriver", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string? database = null;
        string connectionString;
        if (options.Postgres)
        {
            var admin = Environment.GetEnvironmentVariable("FIELDOPS_TEST_POSTGRES")
                ?? throw new InvalidOperationException("--postgres needs FIELDOPS_TEST_POSTGRES (a user that may create databases)");
            database = "fieldops_load_" + Guid.NewGuid().ToString("N")[..12];
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.OpenAsync().ConfigureAwait(false);
                await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
                await create.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
        }
        else
        {
            connectionString = $"Data Source={Path.Combine(folder, "fieldops.db")}";
        }
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(options.Service ?? AppContext.BaseDirectory, "fieldops.dll"));
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var (key, value) in ServiceEnvironment(options, connectionString, folder, stubs))
            info.Environment[key] = value;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("fieldops: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = new FieldOpsProcess(process, folder, database, connectionString, port);
        await Ready.WaitAsync(started.Url).ConfigureAwait(false);
        return started;
    }

    private static Dictionary<string, string> ServiceEnvironment(LoadOptions options, string connectionString, string folder, string stubs)
    {
        var environment = new Dictionary<string, string>
        {
            ["Store__Provider"] = options.Postgres ? "Postgres" : "Sqlite",
            ["Store__ConnectionString"] = connectionString,
            ["Mappings__Path"] = options.Mappings,
            ["Credentials__KeysDirectory"] = Path.Combine(folder, "keys"),
            ["Logging__Level"] = "Warning",
            ["Sources__jobber__Kind"] = "jobber",
            ["Sources__jobber__Secret"] = Secret,
            ["Sources__jobber__WebhookOnly"] = "true", // the driver posts jobs with their record: nothing to fetch
            ["Connectors__Salesforce__LoginUrl"] = stubs,
            ["Connectors__Salesforce__ClientId"] = "load-consumer-key",
            ["Connectors__Salesforce__ClientSecret"] = "load-consumer-secret",
            ["Connectors__HubSpot__BaseUrl"] = stubs,
            ["Connectors__HubSpot__AccessToken"] = "pat-na1-load-driver-token",
            ["Connectors__QuickBooks__BaseUrl"] = stubs,
            ["Connectors__QuickBooks__RealmId"] = "9341453140251234",
            ["Connectors__QuickBooks__TokenUrl"] = stubs + "/oauth2/v1/tokens/bearer",
            ["Connectors__QuickBooks__ClientId"] = "load-client-id",
            ["Connectors__QuickBooks__ClientSecret"] = "load-client-secret",
            ["Connectors__QuickBooks__RefreshToken"] = "load-refresh-token",
            ["Connectors__BambooHR__BaseUrl"] = stubs,
            ["Connectors__BambooHR__ApiKey"] = "0123456789abcdef0123",
        };
        // The vendors' limits are off in the stubs, and so in the client: this measures us, not them.
        foreach (var connector in new[] { "salesforce", "hubspot", "quickbooks", "bamboohr" })
        {
            environment[$"Connectors__{connector}__RateLimit__PermitLimit"] = "100000000";
            environment[$"Connectors__{connector}__RateLimit__Window"] = "00:00:01";
            environment[$"Connectors__{connector}__RateLimit__MaxConcurrency"] = "100000";
        }
        if (options.Concurrency is { } concurrency)
            environment["Dispatcher__ConcurrencyPerConnector"] = concurrency.ToString(CultureInfo.InvariantCulture);
        return environment;
    }

    /// <summary>A connection to the service's store, for seeding and for checking what it did.</summary>
    public async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = Postgres ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString + ";Pooling=False");
        await connection.OpenAsync().ConfigureAwait(false);
        return connection;
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        var wal = Path.Combine(_folder, "fieldops.db-wal");
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (File.Exists(wal))
                {
                    var size = new FileInfo(wal).Length;
                    if (size > Interlocked.Read(ref _peakWal))
                        Interlocked.Exchange(ref _peakWal, size);
                }
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The CPU time the service has used so far and what it has written (<see cref="ProcessIo"/>; on PostgreSQL the
    /// database's writes are the server's, so both stay near 0). Figures per job that the machine's other load disturbs
    /// less than a rate does.
    /// </summary>
    public (TimeSpan Cpu, long? Written, long? FileBytes) Usage()
    {
        _process.Refresh();
        var (written, fileBytes) = ProcessIo.Read(_process.Id.ToString(CultureInfo.InvariantCulture));
        return (_process.TotalProcessorTime, written, fileBytes); // null: printed as n/a
    }

    private long ReadStatus(string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _sampler.ConfigureAwait(false);
        _stop.Dispose();
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        if (_postgresDatabase is not null)
        {
            await using var connection = new NpgsqlConnection(System.Environment.GetEnvironmentVariable("FIELDOPS_TEST_POSTGRES"));
            await connection.OpenAsync().ConfigureAwait(false);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresDatabase} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
