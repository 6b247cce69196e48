using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Integration.Core.Mapping.Model;
using FieldOps.Jsonata;

namespace FieldOps.Integration.Core.Mapping.Evaluation;

/// <summary>
/// Maps one event through a mapping set: the source profile, then every flow whose <c>when</c> takes the canonical
/// type. Pure (no I/O): the router, <c>fieldops map</c> and <c>fieldops test</c> all use it.
/// </summary>
public sealed class MappingEngine
{
    private readonly EvaluationOptions _options;

    /// <param name="time">The clock for <c>$now()</c>.</param>
    /// <param name="timeLimit">The longest one expression may run. <value>The default value is 1 second.</value></param>
    public MappingEngine(TimeProvider time, TimeSpan? timeLimit = null) =>
        _options = new EvaluationOptions { TimeProvider = time, TimeLimit = timeLimit ?? TimeSpan.FromSeconds(1) };

    public MappingOutcome Map(MappingSet set, SourceEvent ev)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(ev);
        if (!set.ProfilesBySourceKind.TryGetValue(ev.SourceKind, out var profile))
            return MappingOutcome.Unmatched($"no source profile for source kind '{ev.SourceKind}'");
        JsonObject? canonical = null;
        try
        {
            if (CanonicalNormaliser.UnmetRequirement(profile, ev, _options) is { } need)
                return MappingOutcome.Incomplete(need);
            canonical = CanonicalNormaliser.Normalise(profile, ev, _options, out var unmatched);
            if (canonical is null)
                return MappingOutcome.Unmatched(unmatched!);
            var type = (string)canonical["type"]!;
            var flows = set.FlowsFor(type).ToList();
            if (flows.Count == 0)
                return MappingOutcome.Unmatched($"no flow takes {type} (source {ev.Source}, topic {canonical["sourceTopic"]})", canonical);
            var operations = new List<PlannedOperation>();
            var input = JsonataValueOrUndefined.FromJson(canonical);
            var selected = 0;
            foreach (var flow in flows)
            {
                if (FlowEvaluator.Evaluate(flow, Revision(flow, profile), input, _options, operations))
                    selected++;
            }
            if (selected == 0)
                return MappingOutcome.Unmatched($"no flow's condition selected this {type} (flows: {string.Join(", ", flows.Select(f => f.Name))})", canonical);
            return new MappingOutcome(MappingOutcomeKind.Routed, null, canonical, operations);
        }
        catch (MappingException ex)
        {
            return MappingOutcome.Parked(string.Join("; ", ex.Diagnostics), canonical);
        }
    }

    /// <summary>The mapping revision of a flow under a profile: a hash of both files' contents.</summary>
    private static string Revision(CompiledFlow flow, CompiledProfile profile) =>
        flow.Revisions.GetOrAdd(profile.ContentHash, (profileHash, flowHash) => MappingFileCompiler.Hash(flowHash + profileHash), flow.ContentHash);
}
