using System.Globalization;
using FieldOps.Bench;

namespace FieldOps.Mapping.Benchmarks;

internal sealed record DriverOptions(string MappingsPath, int Events, int Rate, int Seconds, int MappingThreads, bool Allocations, int BatchSize, int CommitGroupSize)
{
    public static DriverOptions Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        return new DriverOptions(
            Get("--mappings", JobberJobs.FindMappings()),
            int.Parse(Get("--events", "3000"), CultureInfo.InvariantCulture),
            int.Parse(Get("--rate", "200"), CultureInfo.InvariantCulture),
            int.Parse(Get("--seconds", "10"), CultureInfo.InvariantCulture),
            int.Parse(Get("--mapping-threads", Defaults.MappingThreads.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
            args.Contains("--allocations"),
            int.Parse(Get("--batch", Defaults.BatchSize.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
            int.Parse(Get("--commit-group", Defaults.CommitGroupSize.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture));
    }

    private static readonly FieldOps.Integration.Core.Mapping.Loading.MappingOptions Defaults = new();

    /// <summary>The router's options as the service has them, with this run's mappings, threads, batch and commit group.</summary>
    public FieldOps.Integration.Core.Mapping.Loading.MappingOptions Router => new()
    {
        Path = MappingsPath, MappingThreads = MappingThreads, BatchSize = BatchSize, CommitGroupSize = CommitGroupSize,
    };

    public string JobClosed => JobberJobs.FindSample(MappingsPath);

    /// <summary>Distinct jobs for one part of the run (each part has its own store, the run tag keeps them apart anyway).</summary>
    public JobberJobs Jobs(int run) => new(JobClosed, run);
}
