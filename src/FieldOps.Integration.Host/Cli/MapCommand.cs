using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Mapping.Evaluation;
using FieldOps.Integration.Core.Mapping.Loading;

namespace FieldOps.Integration.Host.Cli;

/// <summary>
/// <c>fieldops map --event sample.json [--source name] [--mappings path]</c>: dry-runs a payload through the profile
/// and flows and prints the operations that would be written, as JSON. Touches no store: every <c>$xref</c> stays a
/// placeholder.
/// </summary>
internal static class MapCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Task<int> RunAsync(string[] args)
    {
        if (CliConfiguration.Parse(args, "--event", "--source", "--mappings") is not { Positional.Count: 0 } parsed
            || !parsed.Options.TryGetValue("--event", out var eventFile))
            return Task.FromResult(Usage());
        var configuration = CliConfiguration.Load();
        var source = parsed.Options.GetValueOrDefault("--source", "canonical");
        JsonNode? payload;
        try
        {
            payload = JsonNode.Parse(File.ReadAllText(eventFile));
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
        var outcome = new MappingEngine(TimeProvider.System, company: CliConfiguration.Company(configuration)).Map(load.Set, ev);
        if (outcome.Kind != MappingOutcomeKind.Routed)
        {
            Console.Error.WriteLine($"{outcome.Kind.ToString().ToLowerInvariant()}: {outcome.Reason}");
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
        Console.Error.WriteLine("usage: fieldops map --event sample.json [--source name] [--mappings path]");
        return 2;
    }
}
