using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace FieldOps.Bench;

/// <summary>
/// Distinct hydrated Jobber <c>JOB_CLOSED</c> events for the benches, made from the shipped sample
/// (<c>mappings/samples/jobber-job-closed.json</c>): job <c>n</c> gets its own job, client, line item and time entry ids
/// (Jobber's encoded global ids, <c>base64("gid://Jobber/Job/n")</c>), its own versions (<c>updatedAt</c>,
/// <c>occurredAt</c>), so neither the intake's dedup nor the router's version ledger takes one for another.
/// Technicians are shared (<see cref="Technicians"/> of them), as in a real account.
/// </summary>
internal sealed class JobberJobs
{
    /// <summary>How many distinct technicians (BambooHR employees) the jobs' time entries name.</summary>
    public const int Technicians = 200;

    private static readonly DateTimeOffset Epoch = new(2025, 3, 14, 8, 0, 0, TimeSpan.FromHours(-6));
    private readonly JsonNode _template;
    private readonly long _base;
    private readonly string _run;

    /// <param name="sampleJson">The sample's text.</param>
    /// <param name="run">0–900: makes this run's ids differ from another run's (job n of run r is number r·10⁷ + n).</param>
    public JobberJobs(string sampleJson, int run)
    {
        _template = JsonNode.Parse(sampleJson) ?? throw new ArgumentException("empty sample", nameof(sampleJson));
        _base = run * 10_000_000L;
        _run = run.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Finds the sample under a <c>mappings/</c> folder above the current directory.</summary>
    public static string FindSample(string? mappingsPath = null) =>
        File.ReadAllText(Path.Combine(mappingsPath ?? FindMappings(), "samples", "jobber-job-closed.json"));

    public static string FindMappings()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "mappings", "profiles")))
                return Path.Combine(dir.FullName, "mappings");
        }
        throw new DirectoryNotFoundException("no mappings/ folder above the current directory; pass --mappings");
    }

    /// <summary>The encoded Jobber id of job <paramref name="n"/> (what the flows use as the job's entity id).</summary>
    public string JobId(int n) => Gid("Job", n);

    /// <summary>The encoded Jobber id of job <paramref name="n"/>'s client (one client per job).</summary>
    public string ClientId(int n) => Gid("Client", n);

    /// <summary>The work e-mail of technician <paramref name="k"/>, as the stubs' BambooHR directory lists it.</summary>
    public static string TechnicianEmail(int k) => $"tech{k.ToString(CultureInfo.InvariantCulture)}@example.com";

    /// <summary>The webhook body of job <paramref name="n"/> (≈ 2.6 KB, hydrated: <c>data</c> plus <c>record</c>).</summary>
    public string Body(int n)
    {
        var job = _template.DeepClone();
        var hook = job["data"]!["webHookEvent"]!;
        var record = job["record"]!;
        var at = Epoch.AddSeconds(n);
        hook["itemId"] = JobId(n);
        hook["occurredAt"] = Stamp(at.AddSeconds(2));
        record["id"] = JobId(n);
        record["jobNumber"] = 100_000 + n;
        record["completedAt"] = Stamp(at.AddMinutes(-5));
        record["updatedAt"] = Stamp(at);
        var client = record["client"]!;
        client["id"] = ClientId(n);
        client["name"] = $"Client {_run} {n.ToString(CultureInfo.InvariantCulture)}";
        client["lastName"] = $"{_run}{n.ToString(CultureInfo.InvariantCulture)}";
        client["emails"]![0]!["address"] = $"client{n.ToString(CultureInfo.InvariantCulture)}.{_run}@example.com";
        var i = 0;
        foreach (var line in record["lineItems"]!["nodes"]!.AsArray())
            line!["id"] = Gid("LineItem", (n * 4L) + i++);
        i = 0;
        foreach (var entry in record["timeSheetEntries"]!["nodes"]!.AsArray())
        {
            var technician = ((n * 2) + i) % Technicians;
            entry!["id"] = Gid("TimeSheetEntry", (n * 2L) + i++);
            entry["updatedAt"] = Stamp(at.AddSeconds(-i));
            entry["user"]!["id"] = Gid("User", technician);
            entry["user"]!["email"]!["raw"] = TechnicianEmail(technician);
        }
        return job.ToJsonString();
    }

    private string Gid(string type, long n) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"gid://Jobber/{type}/{(_base + n).ToString(CultureInfo.InvariantCulture)}"));

    private static string Stamp(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
