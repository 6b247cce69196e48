using System.Globalization;

namespace FieldOps.LoadDriver;

/// <summary>
/// <c>--jobs N</c> (default 10,000): the most jobs one phase sends; <c>--rate R</c> jobs/s for the steady phase
/// (default 200; 0 skips it); <c>--seconds S</c> how long the steady phase lasts (default 60); <c>--full</c> also sends
/// the N jobs at full speed and times the backlog's drain; <c>--senders C</c> concurrent senders at full speed (64);
/// <c>--timeout T</c> the most seconds a phase waits for its deliveries (90); <c>--postgres</c> runs the service on
/// PostgreSQL (connection string from <c>FIELDOPS_TEST_POSTGRES</c>, a throwaway database per phase); <c>--service DIR</c>
/// runs the <c>fieldops</c> of a published folder (e.g. a ReadyToRun publish) instead of the one built beside the driver;
/// <c>--warmup W</c> jobs (default 20) are sent and delivered before each phase is measured — a few thousand measure a
/// process whose JIT compiler has finished (tiered compilation recompiles the hot code for its first minute or so);
/// <c>--concurrency N</c> sets the service's <c>Dispatcher:ConcurrencyPerConnector</c> (unset: as the driver's environment says, the service inheriting it, else the service's default) —
/// a limit on how hard each vendor is pushed, as the rate limits the driver lifts are.
/// </summary>
internal sealed record LoadOptions(
    int Jobs, int Rate, int Seconds, bool Full, int Senders, int Timeout, bool Postgres, string Mappings, string? Service, int Warmup, int? Concurrency)
{
    public static LoadOptions Parse(string[] args)
    {
        string? Get(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }
        int Int(string name, int fallback) => Get(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
        var options = new LoadOptions(
            Int("--jobs", 10_000), Int("--rate", 200), Int("--seconds", 60), args.Contains("--full"), Int("--senders", 64),
            Int("--timeout", 90), args.Contains("--postgres"), Get("--mappings") ?? FieldOps.Bench.JobberJobs.FindMappings(),
            Get("--service") is { } service ? Path.GetFullPath(service) : null, Int("--warmup", 20),
            Get("--concurrency") is { } concurrency ? int.Parse(concurrency, CultureInfo.InvariantCulture) : null);
        if (options.Service is { } folder && !File.Exists(Path.Combine(folder, "fieldops.dll")))
            throw new ArgumentException($"--service: no fieldops.dll in '{folder}' (a folder from `dotnet publish src/FieldOps.Integration.Host`)");
        if (options.Jobs is < 1 or > 100_000 || options.Rate is < 0 or > 5_000 || options.Seconds is < 1 or > 120 || options.Timeout is < 5 or > 300
            || options.Warmup is < 1 or > 20_000 || options.Concurrency is < 1 or > 256)
            throw new ArgumentException("bounds: --jobs 1..100000, --rate 0..5000, --seconds 1..120, --timeout 5..300, --warmup 1..20000, --concurrency 1..256");
        return options;
    }

    /// <summary>How many jobs the steady phase sends: rate × seconds, at most <see cref="Jobs"/>.</summary>
    public int SteadyJobs => Math.Min(Jobs, Rate * Seconds);
}
