namespace FieldOps.Integration.Testing.MultiProcess;

/// <summary>
/// A mappings folder for a multi-process test: the repository's shipped source profiles (<c>mappings/profiles</c>,
/// <c>mappings/schema</c>, found above the test's output folder) plus the test's own flows, written to a folder
/// of the test's. Tests route through the real Jobber profile and send to targets of their choosing.
/// </summary>
public static class ClusterMappings
{
    /// <summary>The repository's <c>mappings</c> folder, or null when none is found above the output folder.</summary>
    public static string? Shipped { get; } = Find();

    /// <summary>Writes the shipped profiles and <paramref name="flows"/> (file name → YAML) under <paramref name="folder"/>; returns it.</summary>
    public static string Write(string folder, IReadOnlyDictionary<string, string> flows)
    {
        var shipped = Shipped ?? throw new DirectoryNotFoundException(
            $"no mappings/profiles folder above {AppContext.BaseDirectory}: the multi-process rig needs the repository's shipped profiles");
        foreach (var part in new[] { "profiles", "schema" })
        {
            var from = Path.Combine(shipped, part);
            if (!Directory.Exists(from))
                continue;
            foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            {
                var to = Path.Combine(folder, part, Path.GetRelativePath(from, file));
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(file, to, overwrite: true);
            }
        }
        Directory.CreateDirectory(Path.Combine(folder, "flows"));
        foreach (var (name, yaml) in flows)
            File.WriteAllText(Path.Combine(folder, "flows", name), yaml);
        return folder;
    }

    /// <summary>
    /// <paramref name="count"/> distinct hydrated Jobber <c>JOB_CLOSED</c> webhook bodies made from the shipped sample
    /// (job <c>n</c> has its own job and client ids, <c>jobNumber</c> 100000 + n; <paramref name="run"/> 0–900 keeps
    /// one run's ids apart from another's), with each job's encoded Jobber id.
    /// </summary>
    public static IReadOnlyList<(string JobId, string Body)> JobClosedWebhooks(int count, int run = 0)
    {
        var shipped = Shipped ?? throw new DirectoryNotFoundException($"no mappings folder above {AppContext.BaseDirectory}");
        var jobs = new FieldOps.Bench.JobberJobs(FieldOps.Bench.JobberJobs.FindSample(shipped), run);
        return Enumerable.Range(0, count).Select(n => (jobs.JobId(n), jobs.Body(n))).ToList();
    }

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "mappings");
            if (Directory.Exists(Path.Combine(candidate, "profiles")) && File.Exists(Path.Combine(candidate, "samples", "jobber-job-closed.json")))
                return candidate;
        }
        return null;
    }
}
