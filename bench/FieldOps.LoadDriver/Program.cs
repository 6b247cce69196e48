using System.Diagnostics;
using System.Globalization;
using System.Text;
using FieldOps.Bench;
using FieldOps.LoadDriver;

// dotnet run -c Release --project bench/FieldOps.LoadDriver -- [--jobs 10000] [--rate 200] [--seconds 60] [--full] [--senders 64]
//     [--timeout 90] [--postgres]
// The whole pipeline end to end on loopback: the real fieldops process (Release; SQLite synchronous=FULL as shipped, or
// PostgreSQL with --postgres) with Salesforce, HubSpot, QuickBooks and BambooHR stubs in this process, signed hydrated
// Jobber JOB_CLOSED webhooks (distinct jobs, ~2.6 KB, 13 operations each: the customer, then the job's records). First the no-op ceiling: a Kestrel endpoint
// in its own process that reads the body and answers 202, sent the same bodies at full speed. Every phase checks its
// work (see DeliveryCheck) before it prints a figure; a phase that did not do it exits 1.
if (args is ["--noop-server", var noopPort])
{
    var noop = WebApplication.CreateSlimBuilder();
    noop.Logging.ClearProviders();
    noop.WebHost.UseUrls($"http://127.0.0.1:{noopPort}");
    var app = noop.Build();
    app.MapPost("/webhooks/{source}", async (HttpContext context) =>
    {
        await context.Request.Body.CopyToAsync(Stream.Null);
        context.Response.StatusCode = 202;
        await context.Response.WriteAsJsonAsync(new { status = "accepted", eventId = 1 });
    });
    app.MapGet("/health/ready", () => "ok");
    await app.RunAsync();
    return 0;
}

var options = LoadOptions.Parse(args);
Console.WriteLine($"# FieldOps load driver, {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC, " +
    $"{Environment.ProcessorCount} cores, load average {Stats.Load()}, " +
    $"dispatcher concurrency per connector {options.Concurrency?.ToString(CultureInfo.InvariantCulture) ?? Environment.GetEnvironmentVariable("Dispatcher__ConcurrencyPerConnector") ?? "the service's default"}");
return await WorkCheck.RunAsync(async () =>
{
    await using var stubs = await VendorStubs.StartAsync();
    var ceiling = await NoopCeilingAsync(options);
    Console.WriteLine($"  no-op Kestrel ceiling: {ceiling.Accepted} accepted at {ceiling.AcceptedPerSecond:F0}/s, ack p50 " +
        $"{ceiling.AckPercentile(0.50):F1} ms, p99 {ceiling.AckPercentile(0.99):F1} ms ({options.Senders} senders; load average {Stats.Load()})");
    var results = new List<PhaseResult>();
    if (options.Rate > 0)
    {
        var steady = await Phase.RunAsync(options, stubs, $"steady {options.Rate} jobs/s for {options.SteadyJobs / options.Rate} s", options.SteadyJobs, options.Rate, 1);
        steady.Print();
        results.Add(steady);
    }
    if (options.Full)
    {
        stubs.Reset();
        var full = await Phase.RunAsync(options, stubs, "full speed", options.Jobs, 0, 2);
        full.Print();
        Console.WriteLine($"  intake at full speed / no-op ceiling: {full.Sent.AcceptedPerSecond / ceiling.AcceptedPerSecond:F2}x; " +
            $"pipeline (jobs drained/s) / intake: {full.Jobs / full.DrainSeconds / full.Sent.AcceptedPerSecond:F3}x");
    }
});

static async Task<SendResult> NoopCeilingAsync(LoadOptions options)
{
    var port = FieldOpsProcess.FreePort();
    var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
    info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FieldOps.LoadDriver.dll"));
    info.ArgumentList.Add("--noop-server");
    info.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
    using var process = Process.Start(info)!;
    try
    {
        var url = $"http://127.0.0.1:{port}";
        await Ready.WaitAsync(url);
        var jobs = new JobberJobs(JobberJobs.FindSample(options.Mappings), 0);
        var bodies = Enumerable.Range(0, options.Jobs).Select(i => Encoding.UTF8.GetBytes(jobs.Body(i))).ToList();
        using var sender = new WebhookSender(url, options.Senders);
        await sender.SendAsync(bodies.Take(500).ToList(), 0); // warm-up
        var result = await sender.SendAsync(bodies, 0);
        WorkCheck.Require(result.Accepted == bodies.Count, $"no-op endpoint accepted {result.Accepted} of {bodies.Count}");
        return result;
    }
    finally
    {
        process.Kill(entireProcessTree: true);
    }
}
