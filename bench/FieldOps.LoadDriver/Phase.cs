using System.Diagnostics;
using System.Globalization;
using System.Text;
using FieldOps.Bench;

namespace FieldOps.LoadDriver;

/// <summary>
/// One measured phase: a fresh fieldops process, a warm-up (20 jobs unless <c>--warmup</c>; delivered, then forgotten), then the phase's
/// jobs at a fixed rate or at full speed; waits (bounded) until the vendors have every effect, checks, and reports.
/// </summary>
internal static class Phase
{
    public static async Task<PhaseResult> RunAsync(LoadOptions options, VendorStubs stubs, string name, int jobs, int rate, int run)
    {
        await using var service = await FieldOpsProcess.StartAsync(options, stubs.Url).ConfigureAwait(false);
        using var sender = new WebhookSender(service.Url, rate > 0 ? 256 : options.Senders);
        var sample = JobberJobs.FindSample(options.Mappings);

        var warm = new JobberJobs(sample, 900 + run);
        var warmJobs = options.Warmup;
        var warmSent = await sender.SendAsync(Enumerable.Range(0, warmJobs).Select(i => Encoding.UTF8.GetBytes(warm.Body(i))).ToList(), 0).ConfigureAwait(false);
        WorkCheck.Require(await WaitForEffectsAsync(stubs, warmJobs * DeliveryCheck.OperationsPerJob, TimeSpan.FromSeconds(options.Timeout)).ConfigureAwait(false),
            $"warm-up: after {options.Timeout} s the vendors had {stubs.Effects.Count} of {warmJobs * DeliveryCheck.OperationsPerJob} effects; " +
            await DeliveryCheck.DescribeAsync(service).ConfigureAwait(false));
        await DeliveryCheck.RequireDeliveredAsync(service, stubs, Enumerable.Range(0, warmJobs).ToDictionary(warm.JobId, i => i), warmSent.Accepted).ConfigureAwait(false);
        stubs.Reset();

        var generator = new JobberJobs(sample, run);
        var bodies = Enumerable.Range(0, jobs).Select(i => Encoding.UTF8.GetBytes(generator.Body(i))).ToList();
        var jobIndex = Enumerable.Range(0, jobs).ToDictionary(generator.JobId, i => i);
        Console.WriteLine($"  {name}: {jobs} jobs, {(rate > 0 ? $"{rate}/s" : $"full speed, {options.Senders} senders")}, " +
            $"{bodies.Average(b => b.Length):F0}-byte bodies, store {(options.Postgres ? "PostgreSQL" : "SQLite FULL")}");

        var before = service.Usage();
        var machineBefore = MachineCpu.Busy();
        var driverBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var sent = await sender.SendAsync(bodies, rate).ConfigureAwait(false);
        var timeout = TimeSpan.FromSeconds(options.Timeout);
        var done = await WaitForEffectsAsync(stubs, jobs * DeliveryCheck.OperationsPerJob, timeout).ConfigureAwait(false);
        WorkCheck.Require(done, $"{name}: after {options.Timeout} s the vendors had {stubs.Effects.Count} of {jobs * DeliveryCheck.OperationsPerJob} effects; " +
            await DeliveryCheck.DescribeAsync(service).ConfigureAwait(false));
        var lastPerJob = await DeliveryCheck.RequireDeliveredAsync(service, stubs, jobIndex, sent.Accepted).ConfigureAwait(false);
        var after = service.Usage(); // every row written back
        var machineAfter = MachineCpu.Busy();
        var driverMs = (Process.GetCurrentProcess().TotalProcessorTime - driverBefore).TotalMilliseconds / jobs;

        var firstEffect = stubs.Effects.Values.Min(e => e.FirstAt);
        var lastEffect = stubs.Effects.Values.Max(e => e.FirstAt);
        var latencies = Enumerable.Range(0, jobs).Select(i => DeliveryCheck.Seconds(sent.SentAt[i], lastPerJob[i]) * 1000).Order().ToArray();
        return new PhaseResult(name, jobs, rate, sent, latencies,
            Deliveries: jobs * DeliveryCheck.OperationsPerJob,
            DeliverySeconds: DeliveryCheck.Seconds(firstEffect, lastEffect),
            DrainSeconds: DeliveryCheck.Seconds(sent.Started, lastEffect),
            Repeats: DeliveryCheck.Repeats(stubs), service.PeakRssMb, service.PeakWalMb, Stats.Load(),
            CpuMsPerJob: (after.Cpu - before.Cpu).TotalMilliseconds / jobs, KbWrittenPerJob: (after.Written - before.Written) / 1024.0 / jobs,
            FileKbPerJob: (after.FileBytes - before.FileBytes) / 1024.0 / jobs,
            DriverCpuMsPerJob: driverMs, MachineCpuMsPerJob: (machineAfter - machineBefore)?.TotalMilliseconds / jobs);
    }

    private static async Task<bool> WaitForEffectsAsync(VendorStubs stubs, int expected, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (stubs.Effects.Count < expected)
        {
            if (clock.Elapsed > timeout)
                return false;
            await Task.Delay(20).ConfigureAwait(false);
        }
        await Task.Delay(200).ConfigureAwait(false); // let the last completions commit before the store is read
        return true;
    }
}

/// <summary>A phase's figures (only built once its work is checked).</summary>
internal sealed record PhaseResult(string Name, int Jobs, int Rate, SendResult Sent, double[] JobLatencyMs, int Deliveries,
    double DeliverySeconds, double DrainSeconds, int Repeats, double PeakRssMb, double PeakWalMb, string Load, double CpuMsPerJob, double? KbWrittenPerJob,
    double? FileKbPerJob, double DriverCpuMsPerJob, double? MachineCpuMsPerJob)
{
    public void Print()
    {
        string F(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);
        Console.WriteLine($"  {Name}: accepted {Sent.Accepted}/{Jobs} at {Sent.AcceptedPerSecond:F0}/s; ack p50 {F(Sent.AckPercentile(0.50))} ms, p99 {F(Sent.AckPercentile(0.99))} ms");
        Console.WriteLine($"    webhook -> last of {DeliveryCheck.OperationsPerJob} operations at its vendor, per job: p50 {F(Stats.Percentile(JobLatencyMs, 0.50))} ms, " +
            $"p99 {F(Stats.Percentile(JobLatencyMs, 0.99))} ms, max {F(JobLatencyMs[^1])} ms");
        Console.WriteLine($"    deliveries {Deliveries} in {F(DeliverySeconds)} s = {Deliveries / DeliverySeconds:F0}/s; first webhook -> last delivery (drain) " +
            $"{F(DrainSeconds)} s = {Jobs / DrainSeconds:F0} jobs/s; idempotent repeats {Repeats}");
        string Kb(double? v) => v is { } kb ? F(kb) : "n/a";
        Console.WriteLine($"    service per job: {F(CpuMsPerJob)} ms of CPU, {Kb(KbWrittenPerJob)} KB written (wchar: WAL, checkpoints, logs), " +
            $"{Kb(FileKbPerJob)} KB of file pages dirtied (write_bytes)");
        if (MachineCpuMsPerJob is { } machine)
        {
            Console.WriteLine($"    machine per job: {F(machine)} ms of CPU: the service {F(CpuMsPerJob)}, this driver and its vendor stubs {F(DriverCpuMsPerJob)}, " +
                $"the rest {F(machine - CpuMsPerJob - DriverCpuMsPerJob)} (a PostgreSQL server, anything else on the machine)");
        }
        Console.WriteLine($"    peak RSS {F(PeakRssMb)} MB, peak WAL {F(PeakWalMb)} MB; load average {Load}");
    }
}
