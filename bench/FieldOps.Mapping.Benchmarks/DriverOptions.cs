using System.Globalization;

namespace FieldOps.Mapping.Benchmarks;

internal sealed record DriverOptions(string MappingsPath, int Events, int Rate, int Seconds)
{
    public static DriverOptions Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        return new DriverOptions(
            Get("--mappings", FindMappings()),
            int.Parse(Get("--events", "3000"), CultureInfo.InvariantCulture),
            int.Parse(Get("--rate", "200"), CultureInfo.InvariantCulture),
            int.Parse(Get("--seconds", "10"), CultureInfo.InvariantCulture));
    }

    private static string FindMappings()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "mappings", "profiles")))
                return Path.Combine(dir.FullName, "mappings");
        }
        throw new DirectoryNotFoundException("no mappings/ folder above the current directory; pass --mappings");
    }

    public string JobClosed => File.ReadAllText(Path.Combine(MappingsPath, "samples", "jobber-job-closed.json"));
}
