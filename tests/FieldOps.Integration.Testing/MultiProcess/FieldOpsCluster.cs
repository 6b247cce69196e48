using System.Collections.Concurrent;
using Npgsql;

namespace FieldOps.Integration.Testing.MultiProcess;

/// <summary>
/// Several real <c>fieldops</c> processes (the build of the Host beside the test: <c>fieldops.dll</c> in the test's
/// output folder, so the test project references the Host) on one fresh PostgreSQL database, each on its own loopback
/// port with its own <c>Instance:Name</c> (<c>w1</c>, <c>w2</c>, …), sharing one Data Protection key folder as
/// processes of one deployment do. Workers start together (the schema migrates under the store's migration lock).
/// Dispose kills what still runs and drops the database.
/// </summary>
public sealed class FieldOpsCluster : IAsyncDisposable
{
    /// <summary>The Jobber webhook secret the workers verify with (source <c>jobber</c>, webhook-only).</summary>
    public const string JobberSecret = "multi-process-jobber-secret";

    private readonly ClusterOptions _options;
    private readonly ConcurrentQueue<FieldOpsWorker> _workers = new();
    private int _started;

    private FieldOpsCluster(ClusterOptions options, ScratchPostgresDatabase database, string folder)
    {
        _options = options;
        Database = database;
        Folder = folder;
    }

    /// <summary>The shared database.</summary>
    public ScratchPostgresDatabase Database { get; }

    /// <summary>The cluster's temp folder (keys, working directories); removed on dispose.</summary>
    public string Folder { get; }

    /// <summary>Every worker started, in start order (killed ones included).</summary>
    public IReadOnlyList<FieldOpsWorker> Workers => _workers.ToList();

    /// <summary>The workers still running.</summary>
    public IReadOnlyList<FieldOpsWorker> Running => _workers.Where(w => !w.HasExited).ToList();

    /// <summary>Creates the database and starts <see cref="ClusterOptions.Processes"/> workers, waiting until each is ready.</summary>
    public static async Task<FieldOpsCluster> StartAsync(ClusterOptions options)
    {
        var host = options.HostAssembly ?? Path.Combine(AppContext.BaseDirectory, "fieldops.dll");
        if (!File.Exists(host))
            throw new FileNotFoundException($"the multi-process rig runs {host}: reference FieldOps.Integration.Host from the test project", host);
        var database = await ScratchPostgresDatabase.CreateAsync().ConfigureAwait(false);
        var folder = Path.Combine(Path.GetTempPath(), "fieldops-cluster", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var cluster = new FieldOpsCluster(options with { HostAssembly = host }, database, folder);
        try
        {
            var workers = Enumerable.Range(0, options.Processes).Select(_ => cluster.StartWorker()).ToList();
            await Task.WhenAll(workers.Select(w => w.WaitUntilReadyAsync(options.ReadyTimeout))).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts one more worker (e.g. a replacement after a kill) and waits until it is ready.</summary>
    public async Task<FieldOpsWorker> AddWorkerAsync()
    {
        var worker = StartWorker();
        await worker.WaitUntilReadyAsync(_options.ReadyTimeout).ConfigureAwait(false);
        return worker;
    }

    /// <summary>The worker whose instance id is <paramref name="instanceId"/> (<c>{name}:{pid}:{hex}</c>), or null.</summary>
    public FieldOpsWorker? WorkerOf(string? instanceId) =>
        instanceId is null ? null : _workers.FirstOrDefault(w => instanceId.StartsWith(w.Name + ":", StringComparison.Ordinal));

    /// <summary>An open connection to the shared database.</summary>
    public Task<NpgsqlConnection> OpenAsync() => Database.OpenAsync();

    /// <summary>The <c>application_name</c> a worker's database sessions carry.</summary>
    public static string ApplicationNameOf(string workerName) => "fieldops-" + workerName;

    /// <summary>Every worker's output, headed by its name, for a failure message.</summary>
    public string Output => string.Join("\n", _workers.Select(w => $"--- {w.Name} (pid {w.ProcessId}{(w.HasExited ? ", ended" : "")})\n{w.Output}"));

    private FieldOpsWorker StartWorker()
    {
        var name = "w" + Interlocked.Increment(ref _started);
        var directory = Path.Combine(Folder, name);
        Directory.CreateDirectory(directory);
        var environment = new Dictionary<string, string>
        {
            ["Store__Provider"] = "Postgres",
            // Named after the worker, so a test can see the worker's sessions in pg_stat_activity (ApplicationNameOf).
            ["Store__ConnectionString"] = new NpgsqlConnectionStringBuilder(Database.ConnectionString) { ApplicationName = ApplicationNameOf(name) }.ConnectionString,
            ["Credentials__KeysDirectory"] = Path.Combine(Folder, "keys"),
            ["Mappings__Path"] = _options.MappingsPath,
            ["Sources__jobber__Kind"] = "jobber",
            ["Sources__jobber__Secret"] = JobberSecret,
            ["Sources__jobber__WebhookOnly"] = "true",
            ["Logging__Level"] = "Warning",
            ["Dispatcher__PollInterval"] = "00:00:00.100",
            ["Dispatcher__BaseDelay"] = "00:00:00.100",
            ["Dispatcher__MaxDelay"] = "00:00:02",
            ["Dispatcher__LeaseDuration"] = "00:00:05",
            ["Dispatcher__ShutdownTimeout"] = "00:00:02",
        };
        foreach (var (key, value) in _options.Environment)
            environment[key] = value;
        var worker = FieldOpsWorker.Start(name, _options.HostAssembly!, directory, environment);
        _workers.Enqueue(worker);
        return worker;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
            await worker.DisposeAsync().ConfigureAwait(false);
        await Database.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>What a <see cref="FieldOpsCluster"/> runs.</summary>
/// <param name="MappingsPath">The workers' <c>Mappings:Path</c> (see <see cref="ClusterMappings.Write"/>).</param>
/// <param name="Processes">How many workers start at once. <value>The default value is 3.</value></param>
public sealed record ClusterOptions(string MappingsPath, int Processes = 3)
{
    /// <summary>Settings for every worker, as environment variables (<c>Section__Key</c>); they override the rig's defaults.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The <c>fieldops.dll</c> to run. <value>The default value is the one in the test's output folder.</value></summary>
    public string? HostAssembly { get; init; }

    /// <summary>How long a worker may take to become ready. <value>The default value is 90 seconds (the machine is shared).</value></summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(90);
}
