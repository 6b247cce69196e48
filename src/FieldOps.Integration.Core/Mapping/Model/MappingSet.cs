namespace FieldOps.Integration.Core.Mapping.Model;

/// <summary>Every mapping file of the folder, compiled and valid: the set the router uses until the next good reload.</summary>
public sealed class MappingSet
{
    internal IReadOnlyDictionary<string, CompiledProfile> ProfilesBySourceKind { get; init; } = null!;

    internal IReadOnlyList<CompiledFlow> Flows { get; init; } = null!;

    internal IReadOnlyList<MappingTestCase> Tests { get; init; } = null!;

    /// <summary>How many profiles, flows and tests the set holds, for logs and health.</summary>
    /// <summary>How many flows the set has (none: nothing is delivered).</summary>
    public int FlowCount => Flows.Count;

    /// <summary>How many source profiles the set has.</summary>
    public int ProfileCount => ProfilesBySourceKind.Count;

    public string Summary => $"{ProfilesBySourceKind.Count} profiles, {Flows.Count} flows, {Tests.Count} tests";

    /// <summary>A hash over every file's path and content: changes when any file is edited, added or deleted.</summary>
    public required string ContentHash { get; init; }

    /// <summary>The flows that take <paramref name="canonicalType"/>.</summary>
    internal IEnumerable<CompiledFlow> FlowsFor(string canonicalType) => Flows.Where(f => f.Types.Contains(canonicalType));
}
