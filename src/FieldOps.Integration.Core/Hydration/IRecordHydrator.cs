using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Sources;
using Microsoft.Extensions.Configuration;

namespace FieldOps.Integration.Core.Hydration;

/// <summary>
/// Fetches the record a thin webhook names. Registered as a keyed service under the source kind (<c>jobber</c>).
/// The hydration service coalesces bursts, retries and records versions; the hydrator only reads and fetches.
/// </summary>
public interface IRecordHydrator
{
    /// <summary>
    /// The keys under the source's section (<c>Sources:{name}</c>) that fetching needs and that are not set, e.g.
    /// <c>ClientId</c>; empty when the source can hydrate. Checked at start: a source missing any stops the start
    /// unless it is <c>WebhookOnly</c>.
    /// </summary>
    IReadOnlyList<string> MissingSettings(IConfigurationSection source) => [];

    /// <summary>What the event names, or null when it names nothing this hydrator can fetch.</summary>
    HydrationRequest? Describe(string source, JsonNode payload);

    /// <summary>
    /// Fetches the record. Throws <see cref="SourceThrottledException"/> when the source asks us to wait, and
    /// <see cref="HttpRequestException"/> (or another exception) for other failures, which are retried.
    /// </summary>
    Task<HydratedRecord> FetchAsync(HydrationRequest request, CancellationToken cancellationToken);
}
