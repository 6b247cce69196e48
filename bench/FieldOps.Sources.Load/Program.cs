using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using FieldOps.Bench;
using Microsoft.Data.Sqlite;

// Usage: dotnet run -c Release --project bench/FieldOps.Sources.Load -- [records=20000] [webhooks=300] [rate=50]
// 1. Polling: the real fieldops process polls a loopback REST list (100-item cursor pages of canonical customers) into
//    the inbox, and routes them (canonical profile + the three customer flows) to the outbox; prints records/s.
// 2. Hydration: the real fieldops process receives thin Jobber CLIENT_UPDATE webhooks (one per client) at a fixed rate,
//    hydrates each through a loopback GraphQL endpoint and routes it; prints receipt-to-outbox p50/p99, for the
//    default debounce (500 ms) and for a 50 ms one.
var records = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
var webhooks = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 300;
var rate = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50;
const string Secret = "bench-jobber-secret";
var mappings = FindMappings();
var apiPort = FreePort();
await using var api = await FakeSourceApi.StartAsync(apiPort, records);

Console.WriteLine($"sources load: {records} polled records in 100-item pages; {webhooks} thin webhooks at {rate}/s; loopback; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
return await WorkCheck.RunAsync(async () =>
{
    await PollAsync();
    await HydrateAsync("00:00:00.500");
    await HydrateAsync("00:00:00.050");
});

async Task PollAsync()
{
    var folder = Folder();
    var db = Path.Combine(folder, "fieldops.db");
    var port = FreePort();
    using var process = Start(folder, port, new()
    {
        ["Store__ConnectionString"] = $"Data Source={db}",
        ["Mappings__Path"] = mappings,
        ["Credentials__KeysDirectory"] = Path.Combine(folder, "keys"),
        ["Logging__Level"] = "Warning",
        ["Sources__acme__Kind"] = "canonical",
        ["Sources__acme__Secret"] = "unused",
        ["Sources__acme__Signature__Header"] = "X-Unused",
        ["Sources__acme__ApiBaseUrl"] = $"http://127.0.0.1:{apiPort}/api/",
        ["Sources__acme__Poll__Adapter"] = "rest",
        ["Sources__acme__Poll__Interval"] = "01:00:00",
        ["Sources__acme__Poll__Path"] = "customers",
        ["Sources__acme__Poll__PageSize"] = "100",
        ["Sources__acme__Poll__Id"] = "entityId",
        ["Sources__acme__Poll__Version"] = "sourceVersion",
        ["Sources__acme__Poll__EntityType"] = "Customer",
        ["Sources__acme__Poll__MaxPagesPerRun"] = "100000",
    });
    try
    {
        var deadline = Stopwatch.StartNew();
        long polledAt = 0, routedAt = 0;
        while (deadline.Elapsed < TimeSpan.FromMinutes(5) && routedAt == 0)
        {
            await Task.Delay(100);
            if (polledAt == 0 && Scalar(db, "SELECT watermark FROM source_watermark WHERE source = 'acme' AND sweep_open = 0") is not null)
                polledAt = Environment.TickCount64;
            if (polledAt != 0 && Convert.ToInt64(Scalar(db, "SELECT COUNT(*) FROM inbox WHERE state = 'routed'"), CultureInfo.InvariantCulture) >= records)
                routedAt = Environment.TickCount64;
        }
        var first = FakeSourceApi.FirstListRequestTicks;
        var pollSeconds = (FakeSourceApi.LastListRequestTicks - first) / 1000.0;
        var outbox = Convert.ToInt64(Scalar(db, "SELECT COUNT(*) FROM outbox"), CultureInfo.InvariantCulture);
        var routed = Convert.ToInt64(Scalar(db, "SELECT COUNT(*) FROM inbox WHERE state = 'routed'"), CultureInfo.InvariantCulture);
        WorkCheck.Require(routedAt != 0 && routed == records && outbox == 3L * records,
            $"polling: {routed} of {records} records routed, {outbox} outbox rows (expected {3L * records}) within 5 min");
        Console.WriteLine(FormattableString.Invariant(
            $"polling: {records} records, {records / 100} pages; pages fetched and committed in {pollSeconds:0.00} s ({records / Math.Max(pollSeconds, 0.001):0} records/s, poll-to-watermark <= {(polledAt - first) / 1000.0:0.0} s incl. 100 ms probe)"));
        Console.WriteLine(FormattableString.Invariant(
            $"polled + routed (canonical profile, 3 customer flows, {outbox} outbox rows): {(routedAt - first) / 1000.0:0.00} s => {records / ((routedAt - first) / 1000.0):0} records/s"));
    }
    finally
    {
        process.Kill(entireProcessTree: true);
    }
}

async Task HydrateAsync(string debounce)
{
    var folder = Folder();
    var db = Path.Combine(folder, "fieldops.db");
    var port = FreePort();
    FakeSourceApi.GraphQLCalls = 0;
    using var process = Start(folder, port, new()
    {
        ["Store__ConnectionString"] = $"Data Source={db}",
        ["Mappings__Path"] = mappings,
        ["Credentials__KeysDirectory"] = Path.Combine(folder, "keys"),
        ["Logging__Level"] = "Warning",
        ["Sources__jobber__Kind"] = "jobber",
        ["Sources__jobber__Secret"] = Secret,
        ["Sources__jobber__ClientId"] = "bench-client",
        ["Sources__jobber__RefreshToken"] = "bench-refresh-1",
        ["Sources__jobber__ApiBaseUrl"] = $"http://127.0.0.1:{apiPort}/jobber/",
        ["Hydration__Debounce"] = debounce,
    });
    try
    {
        await WaitReadyAsync(port);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < webhooks; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            if (due > clock.Elapsed)
                await Task.Delay(due - clock.Elapsed);
            var itemId = Convert.ToBase64String(Encoding.UTF8.GetBytes($"gid://Jobber/Client/{100000 + i}"));
            var body = "{\"data\":{\"webHookEvent\":{\"topic\":\"CLIENT_UPDATE\",\"appId\":\"bench\",\"accountId\":\"QUNDVA==\",\"itemId\":\""
                + itemId + "\",\"occurredAt\":\"2025-03-14T12:30:00-06:00\"}}}";
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/jobber") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Jobber-Hmac-SHA256", Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(body))));
            using var response = await client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Accepted)
                throw new InvalidOperationException($"webhook answered {(int)response.StatusCode}");
        }
        var wait = Stopwatch.StartNew();
        while (wait.Elapsed < TimeSpan.FromSeconds(60)
               && Convert.ToInt64(Scalar(db, "SELECT COUNT(DISTINCT inbox_event_id) FROM outbox"), CultureInfo.InvariantCulture) < webhooks)
            await Task.Delay(100);
        var delays = Delays(db);
        WorkCheck.Require(delays.Count == webhooks, $"hydration: {delays.Count} of {webhooks} thin webhooks reached the outbox within 60 s");
        Console.WriteLine(FormattableString.Invariant(
            $"thin webhook -> outbox (debounce {debounce}): {delays.Count}/{webhooks} routed, {FakeSourceApi.GraphQLCalls} GraphQL fetches, p50 {Percentile(delays, 0.50):0} ms, p99 {Percentile(delays, 0.99):0} ms, max {delays.Max():0} ms"));
    }
    finally
    {
        process.Kill(entireProcessTree: true);
    }
}

static List<double> Delays(string db)
{
    using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
    connection.Open();
    using var command = connection.CreateCommand();
    command.CommandText = "SELECT MIN(o.created_at) - i.received_at FROM inbox i JOIN outbox o ON o.inbox_event_id = i.id GROUP BY i.id";
    using var reader = command.ExecuteReader();
    var delays = new List<double>();
    while (reader.Read())
        delays.Add(reader.GetInt64(0));
    delays.Sort();
    return delays;
}

static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

static object? Scalar(string db, string sql)
{
    if (!File.Exists(db))
        return null;
    try
    {
        using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }
    catch (SqliteException)
    {
        return null; // not migrated yet
    }
}

static string Folder()
{
    var folder = Path.Combine(Path.GetTempPath(), "fieldops-sources-load", Guid.NewGuid().ToString("N"));
    Directory.CreateDirectory(folder);
    return folder;
}

static string FindMappings()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "FieldOps.Integration.sln")))
            return Path.Combine(dir.FullName, "mappings");
    }
    throw new DirectoryNotFoundException("FieldOps.Integration.sln not found");
}

static Process Start(string folder, int port, Dictionary<string, string> environment)
{
    var info = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
    info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "fieldops.dll"));
    info.ArgumentList.Add("--urls");
    info.ArgumentList.Add($"http://127.0.0.1:{port}");
    foreach (var (key, value) in environment)
        info.Environment[key] = value;
    var process = Process.Start(info)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine(e.Data); };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    return process;
}

static async Task WaitReadyAsync(int port)
{
    using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
    for (var i = 0; i < 300; i++)
    {
        try
        {
            using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/health/ready"));
            if (response.IsSuccessStatusCode)
                return;
        }
        catch (HttpRequestException)
        {
        }
        catch (TaskCanceledException)
        {
        }
        await Task.Delay(100);
    }
    throw new TimeoutException("fieldops did not become ready");
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}
