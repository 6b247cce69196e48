using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.CrossReferences;
using FieldOps.Integration.Core.Mapping.Evaluation;
using FieldOps.Integration.Core.Mapping.Model;

namespace FieldOps.Integration.Core.Mapping.Testing;

/// <summary>
/// Runs the mapping tests kept beside the mappings: each maps its input event through the set (with its own
/// cross-references) and compares the operations with the expected ones, property by property.
/// </summary>
public static class MappingTestRunner
{
    private static readonly DateTimeOffset ReceivedAt = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<IReadOnlyList<MappingTestResult>> RunAsync(MappingSet set, MappingEngine engine)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(engine);
        var results = new List<MappingTestResult>();
        foreach (var test in set.Tests)
            results.Add(await RunAsync(set, engine, test).ConfigureAwait(false));
        return results;
    }

    private static async Task<MappingTestResult> RunAsync(MappingSet set, MappingEngine engine, MappingTestCase test)
    {
        var ev = new SourceEvent("test", test.SourceKind, test.SourceKind, ReceivedAt, "test", test.Event.DeepClone());
        engine = engine.WithCompany(test.Company);
        var differences = new List<string>();
        var outcome = MapWithAnswers(set, engine, ev, test, differences);
        if (outcome is null)
            return new MappingTestResult(test.Name, test.File, differences);
        // As the router does: an event about a record the test's cross-references say the hub wrote is an echo.
        if (outcome.Kind == MappingOutcomeKind.Routed && OwnWrite.Read(outcome.CanonicalEvent) is { } ownWrite
            && test.Xrefs.FirstOrDefault(x => x.Key.System == ownWrite.System && x.Key.Type == ownWrite.ObjectType && x.Value == ownWrite.Id) is { Value: not null } written)
            outcome = MappingOutcome.Unmatched(ownWrite.EchoReason(written.Key.SourceId), outcome.CanonicalEvent);
        if (test.ExpectUnmatched is { } reason)
        {
            if (outcome.Kind is not (MappingOutcomeKind.Unmatched or MappingOutcomeKind.Incomplete) || outcome.Reason?.Contains(reason, StringComparison.Ordinal) != true)
                differences.Add($"expected unmatched with '{reason}', got {outcome.Kind}: {outcome.Reason}");
            return new MappingTestResult(test.Name, test.File, differences);
        }
        if (outcome.Kind != MappingOutcomeKind.Routed)
        {
            differences.Add($"{outcome.Kind.ToString().ToLowerInvariant()}: {outcome.Reason}");
            return new MappingTestResult(test.Name, test.File, differences);
        }
        // A flow that fails while others map would park the event at runtime: a failure here too, naming the flow.
        differences.AddRange(outcome.FailedFlows.Select(f => $"parked flow {f}"));
        var actual = new List<JsonObject>();
        foreach (var operation in outcome.Operations)
        {
            await XrefResolver.ResolveAsync(operation.Payload, p =>
                ValueTask.FromResult(test.Xrefs.TryGetValue((p.System, p.Type, p.SourceId), out var id) ? id : null)).ConfigureAwait(false);
            actual.Add(operation.ToJson());
        }
        Compare(test.Expect, actual, differences);
        foreach (var operation in actual)
            engine.Check(set, operation, differences);
        return new MappingTestResult(test.Name, test.File, differences) { Updated = Updated(test.Expect, actual) };
    }

    /// <summary>
    /// Maps the test's event, answering each <c>enrich</c> read from the test's own <c>enrich</c> answers (nothing is
    /// read while testing); null, with a difference naming the read, when the test lacks an answer.
    /// </summary>
    private static MappingOutcome? MapWithAnswers(MappingSet set, MappingEngine engine, SourceEvent ev, MappingTestCase test, List<string> differences)
    {
        var answers = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        while (true)
        {
            var outcome = engine.Map(set, ev, answers);
            if (outcome.Kind != MappingOutcomeKind.NeedsEnrichment)
                return outcome;
            foreach (var read in outcome.Enrichments)
            {
                if (test.Enrich is null || !test.Enrich.TryGetPropertyValue(read.Name, out var answer))
                {
                    differences.Add($"flow {read.Flow} reads ${read.Name} ({read.Connector} {read.Read} {read.Params.ToJsonString()}) before it writes: "
                        + $"give its answer under enrich: {read.Name}: … in this test");
                    return null;
                }
                answers[read.Key] = JsonSerializer.SerializeToElement(answer);
            }
        }
    }

    /// <summary>
    /// The expectations rewritten from <paramref name="actual"/>: an operation the test already expected keeps only the
    /// properties the test named (with today's values); an operation it did not expect is written in full.
    /// </summary>
    private static JsonArray Updated(JsonArray expect, List<JsonObject> actual)
    {
        var remaining = expect.OfType<JsonObject>().ToList();
        var updated = new JsonArray();
        foreach (var operation in actual)
        {
            var expected = remaining.Find(e => Same(operation, e, "flow") && Same(operation, e, "key"));
            if (expected is null)
            {
                updated.Add(operation.DeepClone());
                continue;
            }
            remaining.Remove(expected);
            var kept = new JsonObject();
            foreach (var (name, _) in expected)
            {
                if (operation.TryGetPropertyValue(name, out var value))
                    kept[name] = value?.DeepClone();
            }
            updated.Add(kept);
        }
        return updated;
    }

    private static void Compare(JsonArray expect, List<JsonObject> actual, List<string> differences)
    {
        var unmatched = new List<JsonObject>(actual);
        foreach (var expected in expect.OfType<JsonObject>())
        {
            var label = $"{expected["flow"]}/{expected["key"]}";
            var match = unmatched.Find(a => Same(a, expected, "flow") && Same(a, expected, "key")
                && (!expected.ContainsKey("idempotencyKey") || Same(a, expected, "idempotencyKey")));
            if (match is null)
            {
                differences.Add($"{label}: missing operation");
                continue;
            }
            unmatched.Remove(match);
            foreach (var (name, value) in expected)
            {
                if (name is not ("flow" or "key"))
                    JsonDiff.Compare(value, match[name], $"{label} {name}", differences);
            }
        }
        foreach (var extra in unmatched)
            differences.Add($"{extra["flow"]}/{extra["key"]}: unexpected operation {JsonDiff.Show(extra)}");
    }

    private static bool Same(JsonObject a, JsonObject b, string name) => JsonDiff.Show(a[name]) == JsonDiff.Show(b[name]);
}
