using System.Text.Json;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Mapping.Evaluation;
using FieldOps.Integration.Core.Mapping.Model;
using Microsoft.Extensions.DependencyInjection;

namespace FieldOps.Integration.Core.Routing;

/// <summary>
/// Maps an event whose flows read before they write: each read's answer comes from the store when the event was
/// enriched before, else from the connector (<see cref="IConnectorReader"/>, keyed by connector name), and is stored
/// with the event before it is used — so a retry, a crash before the routing commit, or a re-route reads nothing twice.
/// </summary>
public sealed class EventEnricher(IServiceProvider services, IEnrichmentStore? store = null)
{
    // Bounds a flow whose steps keep asking (each pass answers at least one read).
    private const int MaxPasses = 16;

    /// <summary>
    /// The outcome once every read is answered; a failed read parks the event with the connector's text. With
    /// <paramref name="readMissing"/> false (a dry run) only stored answers are used, and a missing one leaves the
    /// outcome <see cref="MappingOutcomeKind.NeedsEnrichment"/>.
    /// </summary>
    internal async Task<MappingOutcome> MapAsync(
        MappingEngine engine, MappingSet set, SourceEvent ev, long inboxEventId, CancellationToken cancellationToken, bool readMissing = true)
    {
        var outcome = engine.Map(set, ev);
        if (outcome.Kind != MappingOutcomeKind.NeedsEnrichment)
            return outcome;
        if (store is null)
            return MappingOutcome.Parked("enrich: no store for read answers is registered", outcome.CanonicalEvent);
        var answers = new Dictionary<string, JsonElement>(await store.GetAsync(inboxEventId, cancellationToken).ConfigureAwait(false), StringComparer.Ordinal);
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            outcome = engine.Map(set, ev, answers);
            if (outcome.Kind != MappingOutcomeKind.NeedsEnrichment || !readMissing)
                return outcome;
            foreach (var read in outcome.Enrichments)
            {
                var failure = await ReadAsync(read, inboxEventId, answers, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                    return MappingOutcome.Parked($"{read.File}: enrich ${read.Name} ({read.Connector} {read.Read}) failed: {failure}", outcome.CanonicalEvent);
            }
        }
        return MappingOutcome.Parked($"enrich: still reading after {MaxPasses} passes ({outcome.Reason})", outcome.CanonicalEvent);
    }

    private async Task<string?> ReadAsync(EnrichmentRequest read, long inboxEventId, Dictionary<string, JsonElement> answers, CancellationToken cancellationToken)
    {
        if (answers.ContainsKey(read.Key))
            return null;
        if (services.GetKeyedService<IConnectorReader>(read.Connector) is not { } reader)
            return $"the {read.Connector} connector cannot read (not registered, or it has no reads)";
        ConnectorReadResult result;
        try
        {
            result = await reader.ReadAsync(read.Connection, read.Read, read.Params, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return $"{ex.GetType().Name}: {ex.Message}";
        }
        if (result.Failure is not null)
            return result.Failure;
        answers[read.Key] = await store!.SaveAsync(inboxEventId, read.Key, result.Answer?.ToJsonString() ?? "null", cancellationToken).ConfigureAwait(false);
        return null;
    }
}
