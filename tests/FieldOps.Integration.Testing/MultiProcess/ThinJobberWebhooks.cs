using System.Globalization;
using System.Text.Json.Nodes;

namespace FieldOps.Integration.Testing.MultiProcess;

/// <summary>
/// Thin Jobber <c>JOB_CLOSED</c> webhooks (only the job's id, as Jobber sends them) for workers that hydrate from a
/// <see cref="JobberApiStandIn"/>: bursts of updates to one job, then single updates. A burst's webhooks are consecutive
/// (each a second later <c>occurredAt</c>), so a sender posts them at once, spread over the workers.
/// </summary>
public static class ThinJobberWebhooks
{
    /// <summary>One job: its Jobber id, its number (what flows key effects by), and its webhooks.</summary>
    public sealed record Job(string Id, string Number, IReadOnlyList<string> Webhooks);

    /// <summary>
    /// <paramref name="bursts"/> jobs with <paramref name="burstSize"/> webhooks each, then <paramref name="singles"/>
    /// jobs with one; <paramref name="api"/> serves each job's record. <paramref name="run"/> (0–900) keeps runs apart.
    /// </summary>
    public static IReadOnlyList<Job> Jobs(JobberApiStandIn api, int bursts, int burstSize, int singles, int run = 0)
    {
        ArgumentNullException.ThrowIfNull(api);
        var hydrated = ClusterMappings.JobClosedWebhooks(bursts + singles, run);
        var jobs = new List<Job>();
        for (var n = 0; n < hydrated.Count; n++)
        {
            var body = JsonNode.Parse(hydrated[n].Body)!.AsObject();
            var record = body["record"]!;
            api.Serve("job", hydrated[n].JobId, record);
            body.Remove("record");
            var at = DateTimeOffset.Parse(body["data"]!["webHookEvent"]!["occurredAt"]!.GetValue<string>(), CultureInfo.InvariantCulture);
            var count = n < bursts ? burstSize : 1;
            var webhooks = Enumerable.Range(0, count).Select(k =>
            {
                var thin = body.DeepClone();
                thin["data"]!["webHookEvent"]!["occurredAt"] = at.AddSeconds(k).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
                return thin.ToJsonString();
            }).ToList();
            jobs.Add(new Job(hydrated[n].JobId, record["jobNumber"]!.ToString(), webhooks));
        }
        return jobs;
    }
}
