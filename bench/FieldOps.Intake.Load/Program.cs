using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using FieldOps.Bench;

// Usage: dotnet run -c Release --project bench/FieldOps.Intake.Load -- [seconds=5] [concurrency=64]
// Runs the same load against (1) a no-op Kestrel endpoint in its own process and (2) the real fieldops process with a
// Jobber source on a fresh SQLite file, then prints accepted/s and latency percentiles for both, and the ratio.
if (args.Length > 0 && args[0] == "--noop-server")
{
    var noop = WebApplication.CreateBuilder();
    noop.Logging.ClearProviders();
    noop.WebHost.UseUrls($"http://127.0.0.1:{args[1]}");
    var app = noop.Build();
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
