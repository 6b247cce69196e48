using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using FieldOps.Bench;

// Usage: dotnet run -c Release --project bench/FieldOps.Intake.Load -- [seconds=5] [concurrency=64] [tracing]
// Runs the same load against (1) a no-op Kestrel endpoint in its own process and (2) the real fieldops process with a
// Jobber source on a fresh SQLite file, then prints accepted/s and latency percentiles for both, and the ratio.
// With "tracing": two fieldops processes side by side instead, one with Tracing:Enabled=false, one tracing every event
// and exporting its spans over OTLP (http/protobuf) to the no-op process acting as a collector; runs off, on, on, off.
if (args.Length > 0 && args[0] == "--noop-server")
{
    var noop = WebApplication.CreateBuilder();
    noop.Logging.ClearProviders();
    noop.WebHost.UseUrls($"http://127.0.0.1:{args[1]}");
    var app = noop.Build();
    // As an OTLP collector: counts the export requests and their bytes (the bench checks spans were exported).
    long exports = 0, exportedBytes = 0;
    app.MapPost("/v1/{signal}", async (HttpContext context) =>
    {
        var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        Interlocked.Increment(ref exports);
        Interlocked.Add(ref exportedBytes, buffer.Length);
        context.Response.StatusCode = 200;
    });
    app.MapGet("/exports", () => $"{Interlocked.Read(ref exports)} {Interlocked.Read(ref exportedBytes)}");
    app.MapPost("/webhooks/{source}", async (HttpContext context) =>
    {
        // Read the whole body as the real endpoint does, answer as the real one does, store nothing.
        await context.Request.Body.CopyToAsync(Stream.Null);
        context.Response.StatusCode = 202;
        await context.Response.WriteAsJsonAsync(new { status = "accepted", eventId = 1 });
    });
    app.MapGet("/health/ready", () => "ok");
    await app.RunAsync();
    return 0;
}

var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
const string Secret = "load-test-secret";
var folder = Path.Combine(Path.GetTempPath(), "fieldops-load", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);

if (args.Length > 2 && args[2] == "tracing")
    return await TracingComparisonAsync(seconds, concurrency, Secret, folder);

var noopPort = FreePort();
using var noopProcess = StartDotnet(Path.Combine(AppContext.BaseDirectory, "FieldOps.Intake.Load.dll"), ["--noop-server", noopPort.ToString(CultureInfo.InvariantCulture)], folder, new());
var realPort = FreePort();
using var realProcess = StartDotnet(Path.Combine(AppContext.BaseDirectory, "fieldops.dll"), ["--urls", $"http://127.0.0.1:{realPort}"], folder, new()
{
    ["Store__ConnectionString"] = $"Data Source={Path.Combine(folder, "fieldops.db")}",
    ["Sources__jobber__Kind"] = "jobber",
    ["Sources__jobber__Secret"] = Secret,
    ["Sources__jobber__WebhookOnly"] = "true",
    ["Logging__Level"] = "Warning",
    // Readiness (which the driver waits for) needs mappings loaded: the shipped ones.
    ["Mappings__Path"] = RepositoryMappings(),
});
return await WorkCheck.RunAsync(async () =>
{
    try
    {
        await WaitReadyAsync(noopPort);
        await WaitReadyAsync(realPort);
        Console.WriteLine($"loopback load: {seconds} s per target, {concurrency} concurrent senders, ~300-byte signed Jobber bodies");
        await RunAsync("warm-up noop", noopPort, 1, concurrency, "w1");
        await RunAsync("warm-up fieldops", realPort, 1, concurrency, "w2");
        var baseline = await RunAsync("no-op endpoint", noopPort, seconds, concurrency, "n");
        var real = await RunAsync("fieldops intake (SQLite, synchronous=FULL, group commit)", realPort, seconds, concurrency, "r");
        // Every 202 is a durable inbox row: count them in the file the process writes.
        await using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(folder, "fieldops.db")};Mode=ReadOnly"))
        {
            await db.OpenAsync();
            await using var count = db.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM inbox WHERE dedup_key LIKE 'jobber:acc:JOB_UPDATE:r-%'";
            var stored = (long)(await count.ExecuteScalarAsync())!;
            WorkCheck.Require(stored == real.Accepted && real.Other == 0 && baseline.Other == 0,
                $"fieldops answered 202 {real.Accepted} times ({real.Other} other answers, no-op {baseline.Other} other) but holds {stored} inbox rows of the run");
            Console.WriteLine($"checked: {stored} inbox rows = {real.Accepted} accepted");
            Console.WriteLine(baseline.Line);
            Console.WriteLine(real.Line);
        }
        Console.WriteLine(FormattableString.Invariant(
            $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; ratio fieldops/no-op: throughput {real.PerSecond / baseline.PerSecond:0.00}x, p99 latency {real.P99 / baseline.P99:0.0}x"));
    }
    finally
    {
        noopProcess.Kill(entireProcessTree: true);
        realProcess.Kill(entireProcessTree: true);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }
});

static async Task<Result> RunAsync(string name, int port, int seconds, int concurrency, string prefix)
{
    using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
    using var client = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    var latencies = new List<double>[concurrency];
    var accepted = 0L;
    var other = 0L;
    var stopAt = Stopwatch.GetTimestamp() + (long)(seconds * (double)Stopwatch.Frequency);
    var started = Stopwatch.GetTimestamp();
    var workers = Enumerable.Range(0, concurrency).Select(async w =>
    {
        var mine = latencies[w] = new List<double>(100_000);
        for (var i = 0; Stopwatch.GetTimestamp() < stopAt && i < 10_000_000; i++)
        {
            var body = $"{{\"data\":{{\"webHookEvent\":{{\"topic\":\"JOB_UPDATE\",\"appId\":\"load\",\"accountId\":\"acc\",\"itemId\":\"{prefix}-{w}-{i}\",\"occurredAt\":\"2025-03-14T12:22:05-06:00\"}}}}}}";
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/jobber") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Jobber-Hmac-SHA256", Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(body))));
            var t0 = Stopwatch.GetTimestamp();
            using var response = await client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            if (response.StatusCode == HttpStatusCode.Accepted) Interlocked.Increment(ref accepted);
            else Interlocked.Increment(ref other);
        }
    });
    await Task.WhenAll(workers);
    var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
    var all = latencies.SelectMany(l => l).Order().ToArray();
    return new Result(accepted / elapsed, Percentile(all, 0.50), Percentile(all, 0.99), accepted, other, FormattableString.Invariant(
        $"{name}: {accepted} accepted ({other} other) in {elapsed:0.0} s = {accepted / elapsed:0} /s; latency p50 {Percentile(all, 0.50):0.00} ms, p99 {Percentile(all, 0.99):0.00} ms"));
}

static async Task<int> TracingComparisonAsync(int seconds, int concurrency, string secret, string folder)
{
    var collectorPort = FreePort();
    using var collector = StartDotnet(Path.Combine(AppContext.BaseDirectory, "FieldOps.Intake.Load.dll"), ["--noop-server", collectorPort.ToString(CultureInfo.InvariantCulture)], folder, new());
    Dictionary<string, string> Settings(string name, bool tracing)
    {
        Directory.CreateDirectory(Path.Combine(folder, name));
        var settings = new Dictionary<string, string>
        {
            ["Store__ConnectionString"] = $"Data Source={Path.Combine(folder, name, "fieldops.db")}",
            ["Sources__jobber__Kind"] = "jobber",
            ["Sources__jobber__Secret"] = secret,
            ["Sources__jobber__WebhookOnly"] = "true",
            ["Logging__Level"] = "Warning",
            ["Tracing__Enabled"] = tracing ? "true" : "false",
            ["Mappings__Path"] = RepositoryMappings(),
        };
        if (tracing)
        {
            settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{collectorPort}";
            settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        }
        return settings;
    }
    var offPort = FreePort();
    var onPort = FreePort();
    using var off = StartDotnet(Path.Combine(AppContext.BaseDirectory, "fieldops.dll"), ["--urls", $"http://127.0.0.1:{offPort}"], Path.Combine(folder), Settings("off", false));
    using var on = StartDotnet(Path.Combine(AppContext.BaseDirectory, "fieldops.dll"), ["--urls", $"http://127.0.0.1:{onPort}"], Path.Combine(folder), Settings("on", true));
    return await WorkCheck.RunAsync(async () =>
    {
        try
        {
            await WaitReadyAsync(collectorPort);
            await WaitReadyAsync(offPort);
            await WaitReadyAsync(onPort);
            Console.WriteLine($"loopback load, tracing off vs on (OTLP to a local collector): 2 x {seconds} s per process, {concurrency} concurrent senders");
            await RunAsync("warm-up off", offPort, 1, concurrency, "w1");
            await RunAsync("warm-up on", onPort, 1, concurrency, "w2");
            // off, on, on, off: drift of the shared machine's load falls on both sides alike.
            var runs = new[]
            {
                (false, await RunAsync("tracing off", offPort, seconds, concurrency, "a")),
                (true, await RunAsync("tracing on, OTLP export", onPort, seconds, concurrency, "b")),
                (true, await RunAsync("tracing on, OTLP export", onPort, seconds, concurrency, "c")),
                (false, await RunAsync("tracing off", offPort, seconds, concurrency, "d")),
            };
            await Task.Delay(6000); // the batch exporter's schedule (5 s) plus a margin
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{collectorPort}") };
            var exports = (await http.GetStringAsync(new Uri("/exports", UriKind.Relative))).Split(' ');
            foreach (var (name, tracing) in new[] { ("off", false), ("on", true) })
            {
                await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(folder, name, "fieldops.db")};Mode=ReadOnly");
                await db.OpenAsync();
                await using var count = db.CreateCommand();
                count.CommandText = "SELECT COUNT(*), COUNT(trace_parent) FROM inbox WHERE dedup_key NOT LIKE 'jobber:acc:JOB_UPDATE:w%'";
                await using var reader = await count.ExecuteReaderAsync();
                await reader.ReadAsync();
                var (stored, traced) = (reader.GetInt64(0), reader.GetInt64(1));
                var accepted = runs.Where(r => r.Item1 == tracing).Sum(r => r.Item2.Accepted);
                WorkCheck.Require(stored == accepted && runs.All(r => r.Item2.Other == 0),
                    $"tracing {name}: answered 202 {accepted} times but holds {stored} inbox rows of the runs");
                WorkCheck.Require(tracing ? traced == stored : traced == 0, $"tracing {name}: {traced} of {stored} inbox rows carry a traceparent");
                Console.WriteLine($"checked: tracing {name}: {stored} inbox rows = {accepted} accepted, {traced} with a traceparent");
            }
            WorkCheck.Require(long.Parse(exports[0], CultureInfo.InvariantCulture) > 0, "the collector received no OTLP export");
            Console.WriteLine($"checked: the collector received {exports[0]} OTLP exports, {exports[1]} bytes");
            foreach (var (_, result) in runs)
                Console.WriteLine(result.Line);
            double Mean(bool tracing, Func<Result, double> value) => runs.Where(r => r.Item1 == tracing).Average(r => value(r.Item2));
            Console.WriteLine(FormattableString.Invariant(
                $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; ratio on/off: throughput {Mean(true, r => r.PerSecond) / Mean(false, r => r.PerSecond):0.00}x, p50 {Mean(true, r => r.P50) / Mean(false, r => r.P50):0.00}x, p99 {Mean(true, r => r.P99) / Mean(false, r => r.P99):0.00}x"));
        }
        finally
        {
            collector.Kill(entireProcessTree: true);
            off.Kill(entireProcessTree: true);
            on.Kill(entireProcessTree: true);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    });
}

static string RepositoryMappings()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "FieldOps.Integration.sln")))
            return Path.Combine(dir.FullName, "mappings");
    }
    throw new DirectoryNotFoundException("FieldOps.Integration.sln not found above " + AppContext.BaseDirectory);
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static Process StartDotnet(string dll, string[] arguments, string folder, Dictionary<string, string> environment)
{
    var info = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, UseShellExecute = false, RedirectStandardOutput = true };
    info.ArgumentList.Add(dll);
    foreach (var argument in arguments) info.ArgumentList.Add(argument);
    foreach (var (key, value) in environment) info.Environment[key] = value;
    var process = Process.Start(info)!;
    process.OutputDataReceived += (_, _) => { };
    process.BeginOutputReadLine();
    return process;
}

static async Task WaitReadyAsync(int port)
{
    using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    for (var i = 0; i < 300; i++)
    {
        try
        {
            using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            if (response.IsSuccessStatusCode) return;
        }
        catch (HttpRequestException) { }
        await Task.Delay(100);
    }
    throw new TimeoutException($"port {port} never became ready");
}

internal sealed record Result(double PerSecond, double P50, double P99, long Accepted, long Other, string Line);
