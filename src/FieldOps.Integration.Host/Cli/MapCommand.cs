using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Mapping.Evaluation;
using FieldOps.Integration.Core.Mapping.Loading;

namespace FieldOps.Integration.Host.Cli;

/// <summary>
/// <c>fieldops map --event sample.json [--source name] [--mappings path] [--enrich answers.json]</c>: dry-runs a payload
/// through the profile and flows and prints the operations that would be written, as JSON. Touches no store and reads
/// nothing: every <c>$xref</c> stays a placeholder, and a flow's <c>enrich</c> reads are answered from
/// <c>--enrich</c> (a JSON object by step name, as in a mapping test) or named in the error.
/// </summary>
internal static class MapCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Task<int> RunAsync(string[] args)
    {
        if (CliConfiguration.Parse(args, "--event", "--source", "--mappings", "--enrich") is not { Positional.Count: 0 } parsed
            || !parsed.Options.TryGetValue("--event", out var eventFile))
            return Task.FromResult(Usage());
        var configuration = CliConfiguration.Load();
        var source = parsed.Options.GetValueOrDefault("--source", "canonical");
        JsonNode? payload;
        JsonObject? answers = null;
        try
        {
            payload = JsonNode.Parse(File.ReadAllText(eventFile));
            if (parsed.Options.TryGetValue("--enrich", out var enrichFile))
            {
                eventFile = enrichFile;
                answers = JsonNode.Parse(File.ReadAllText(enrichFile)) as JsonObject
                    ?? throw new JsonException("the answers must be a JSON object by enrich step name");
            }
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"fieldops map: cannot read '{eventFile}': {ex.Message}");
            return Task.FromResult(2);
        }
        var load = MappingLoader.Load(CliConfiguration.MappingsPath(configuration, parsed.Options.GetValueOrDefault("--mappings")));
        if (load.Set is null)
        {
            foreach (var diagnostic in load.Diagnostics)
                Console.Error.WriteLine(diagnostic);
            return Task.FromResult(1);
        }
        var ev = new SourceEvent("dry-run", source, CliConfiguration.SourceKind(configuration, source), TimeProvider.System.GetUtcNow(), null, payload);
        var engine = new MappingEngine(TimeProvider.System, company: CliConfiguration.Company(configuration));
        var given = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var outcome = engine.Map(load.Set, ev, given);
        while (outcome.Kind == MappingOutcomeKind.NeedsEnrichment && outcome.Enrichments.All(r => answers?.ContainsKey(r.Name) == true))
        {
            foreach (var read in outcome.Enrichments)
                given[read.Key] = JsonSerializer.SerializeToElement(answers![read.Name]);
            outcome = engine.Map(load.Set, ev, given);
        }
        if (outcome.Kind != MappingOutcomeKind.Routed)
        {
            Console.Error.WriteLine(outcome.Kind == MappingOutcomeKind.NeedsEnrichment
                ? $"needs enrich answers: {outcome.Reason}; give them with --enrich answers.json ({{\"{outcome.Enrichments[0].Name}\": …}})"
                : $"{outcome.Kind.ToString().ToLowerInvariant()}: {outcome.Reason}");
            return Task.FromResult(1);
        }
        var operations = new JsonArray([.. outcome.Operations.Select(o => (JsonNode)o.ToJson())]);
        Console.Out.WriteLine(operations.ToJsonString(Indented));
        // The other flows' operations are shown; the event would be parked for these (exit 1, as for a parked event).
        foreach (var failed in outcome.FailedFlows)
            Console.Error.WriteLine($"parked flow {failed}");
        return Task.FromResult(outcome.FailedFlows.Count == 0 ? 0 : 1);
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: fieldops map --event sample.json [--source name] [--mappings path] [--enrich answers.json]");
        return 2;
    }
}
