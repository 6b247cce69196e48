using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Integration.Core.Mapping.Model;
using FieldOps.Integration.Core.Routing;
using FieldOps.Jsonata;

namespace FieldOps.Integration.Core.Mapping.Evaluation;

/// <summary>
/// Maps one event through a mapping set: the source profile, then every flow whose <c>when</c> takes the canonical
/// type. Pure (no I/O): the router, <c>fieldops map</c> and <c>fieldops test</c> all use it.
/// </summary>
public sealed class MappingEngine
{
    /// <summary>The variable every expression reads the company settings from (<c>$company.timeZone</c>).</summary>
    public const string CompanyVariable = "company";

    /// <summary>How many times an event whose mapping ran past an expression's time limit is mapped before it is parked.</summary>
    public const int TimeLimitAttempts = 3;

    private readonly EvaluationOptions _options;
    private readonly JsonElement _company;
    private readonly ConditionalWeakTable<IReadOnlyDictionary<string, JsonElement>, JsonataBindings> _bound = new();

    /// <param name="time">The clock for <c>$now()</c>.</param>
    /// <param name="timeLimit">The longest one expression may run. <value>The default value is 1 second.</value></param>
    /// <param name="company">The company settings bound as <c>$company</c>. <value>The default value is <see cref="CompanyOptions"/>' defaults.</value></param>
    public MappingEngine(TimeProvider time, TimeSpan? timeLimit = null, CompanyOptions? company = null)
        : this(new EvaluationOptions { TimeProvider = time, TimeLimit = timeLimit ?? TimeSpan.FromSeconds(1) }, (company ?? new CompanyOptions()).ToJson())
    {
    }

    private MappingEngine(EvaluationOptions options, JsonElement company)
    {
        _options = options;
        _company = company;
    }

    /// <summary>The same engine with other company settings (a mapping test's own <c>company</c>), merged over these.</summary>
    public MappingEngine WithCompany(JsonObject? overrides)
    {
        if (overrides is null || overrides.Count == 0)
            return this;
        var merged = JsonNode.Parse(_company.GetRawText())!.AsObject();
        foreach (var (name, value) in overrides)
            merged[name] = value?.DeepClone();
        return new MappingEngine(_options, JsonSerializer.SerializeToElement(merged));
    }

    /// <summary>
    /// A file's lookups plus <c>$company</c>, converted for the JSONata engine once per file (not once per expression
    /// evaluated: that was ~8 % of the router's CPU, issue 15) and shared by the mapping threads — bound values are never modified.
    /// </summary>
    private JsonataBindings Bind(IReadOnlyDictionary<string, JsonElement> lookups) =>
        _bound.GetValue(lookups, l => JsonataBindings.From(new Dictionary<string, JsonElement>(l, StringComparer.Ordinal) { [CompanyVariable] = _company }));

    /// <summary>
    /// Maps <paramref name="ev"/>. A selected flow with <c>enrich</c> steps needs their results in
    /// <paramref name="enrichments"/> (by <see cref="EnrichmentRequest.Key"/>); while one is missing the outcome is
    /// <see cref="MappingOutcomeKind.NeedsEnrichment"/>, listing the reads.
    /// </summary>
    /// <remarks>
    /// An expression's time limit is measured on the wall clock, so a thread descheduled or stopped by a garbage
    /// collection for longer than the limit times out an expression that is not slow. Mapping is pure, so an event whose
    /// mapping timed out is mapped again, up to <see cref="TimeLimitAttempts"/> times in all: only an expression that
    /// keeps running past its limit parks the event (issue 15: such a time-out once parked a job without its invoice).
    /// </remarks>
    public MappingOutcome Map(MappingSet set, SourceEvent ev, IReadOnlyDictionary<string, JsonElement>? enrichments = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(ev);
        var outcome = MapOnce(set, ev, enrichments);
        for (var attempt = 1; outcome.TimeLimitExceeded && attempt < TimeLimitAttempts; attempt++)
            outcome = MapOnce(set, ev, enrichments);
        return outcome;
    }

    private MappingOutcome MapOnce(MappingSet set, SourceEvent ev, IReadOnlyDictionary<string, JsonElement>? enrichments)
    {
        if (!set.ProfilesBySourceKind.TryGetValue(ev.SourceKind, out var profile))
            return MappingOutcome.Unmatched($"no source profile for source kind '{ev.SourceKind}'");
        JsonObject? canonical = null;
        try
        {
            var lookups = Bind(profile.Lookups);
            var payload = ev.PayloadValue();
            if (CanonicalNormaliser.UnmetRequirement(profile, lookups, payload, _options) is { } need)
            {
                // Hydrating costs a call to the source's API (and its query budget): only for a type some flow takes.
                if (CanonicalNormaliser.TypeBeforeRequirements(profile, lookups, payload, _options) is { } thinType && !set.FlowsFor(thinType).Any())
                    return MappingOutcome.Unmatched($"no flow takes {thinType} (source {ev.Source}); not hydrated");
                return MappingOutcome.Incomplete(need);
            }
            canonical = CanonicalNormaliser.Normalise(profile, lookups, ev, payload, _options, out var input, out var unmatched);
            if (canonical is null)
                return MappingOutcome.Unmatched(unmatched!);
            var type = (string)canonical["type"]!;
            var flows = set.FlowsFor(type).ToList();
            if (flows.Count == 0)
                return MappingOutcome.Unmatched($"no flow takes {type} (source {ev.Source}, topic {canonical["sourceTopic"]})", canonical);
            var operations = new List<PlannedOperation>();
            var selected = 0;
            var failed = new List<string>();
            var reads = new List<EnrichmentRequest>();
            var timedOut = false;
            foreach (var flow in flows)
            {
                if (EvaluateFlow(flow, Bind(flow.Lookups), Revision(flow, profile), input, enrichments, reads, operations, failed, ref timedOut))
                    selected++;
            }
            if (reads.Count > 0)
                return MappingOutcome.NeedsEnrichment(reads, canonical);
            // One flow's mapping error parks the event but does not hold back the flows that mapped (issue 18).
            if (selected == 0 && failed.Count > 0)
                return MappingOutcome.Parked(string.Join("; ", failed), canonical) with { TimeLimitExceeded = timedOut };
            if (selected == 0)
                return MappingOutcome.Unmatched($"no flow's condition selected this {type} (flows: {string.Join(", ", flows.Select(f => f.Name))})", canonical);
            return new MappingOutcome(MappingOutcomeKind.Routed, null, canonical, operations) { FailedFlows = failed, TimeLimitExceeded = timedOut };
        }
        catch (MappingException ex)
        {
            return MappingOutcome.Parked(string.Join("; ", ex.Diagnostics), canonical) with { TimeLimitExceeded = ex.TimeLimitExceeded };
        }
    }

    /// <summary>
    /// Evaluates one flow into <paramref name="operations"/>: all of its operations, or none when it fails (its error,
    /// with file, line and column, goes to <paramref name="failed"/>). True when the flow selected the event.
    /// </summary>
    /// <remarks>A flow that reads before it writes and lacks a read's answer adds the read to <paramref name="reads"/> instead.</remarks>
    private bool EvaluateFlow(
        CompiledFlow flow, JsonataBindings bindings, string revision, JsonataValueOrUndefined input,
        IReadOnlyDictionary<string, JsonElement>? enrichments, List<EnrichmentRequest> reads, List<PlannedOperation> operations, List<string> failed,
        ref bool timedOut)
    {
        var produced = new List<PlannedOperation>();
        try
        {
            if (flow.Enrich.Count > 0 && !FlowEnricher.TryBind(flow, bindings, input, enrichments, _options, reads, out bindings))
                return false;
            if (!FlowEvaluator.Evaluate(flow, bindings, revision, input, _options, produced))
                return false;
        }
        catch (MappingException ex)
        {
            failed.Add($"{flow.Name}: {string.Join("; ", ex.Diagnostics)}");
            timedOut |= ex.TimeLimitExceeded;
            return false;
        }
        operations.AddRange(produced);
        return true;
    }

    /// <summary>
    /// Runs the <c>checks</c> of <paramref name="operation"/>'s flow that name its operation (as <c>fieldops test</c>
    /// does), adding a line to <paramref name="failures"/> for each that does not give <c>true</c>.
    /// </summary>
    public void Check(MappingSet set, JsonObject operation, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(failures);
        var flowName = operation["flow"]?.GetValue<string>();
        var key = operation["key"]?.GetValue<string>() ?? "";
        var operationKey = key.Split(':', 2)[0];
        if (set.Flows.FirstOrDefault(f => f.Name == flowName) is not { Checks.Count: > 0 } flow)
            return;
        var input = JsonataValueOrUndefined.FromJson(operation);
        foreach (var check in flow.Checks.Where(c => c.OperationKey == operationKey))
        {
            try
            {
                var result = check.Expect.Evaluate(input, Bind(flow.Lookups), _options, out var undefined);
                if (undefined || result is not JsonValue value || value.GetValueKind() != JsonValueKind.True)
                    failures.Add($"{flowName}/{key}: check '{check.Name}' failed: {(undefined ? "(undefined)" : result?.ToJsonString() ?? "null")}");
            }
            catch (MappingException ex)
            {
                failures.Add($"{flowName}/{key}: check '{check.Name}' failed: {string.Join("; ", ex.Diagnostics)}");
            }
        }
    }

    /// <summary>The mapping revision of a flow under a profile: a hash of both files' contents.</summary>
    private static string Revision(CompiledFlow flow, CompiledProfile profile) =>
        flow.Revisions.GetOrAdd(profile.ContentHash, (profileHash, flowHash) => MappingFileCompiler.Hash(flowHash + profileHash), flow.ContentHash);
}
