namespace FieldOps.Integration.Core.Mapping.Model;

/// <summary>Every mapping file of the folder, compiled and valid: the set the router uses until the next good reload.</summary>
internal sealed class MappingSet
{
    public required IReadOnlyDictionary<string, CompiledProfile> ProfilesBySourceKind { get; init; }

    public required IReadOnlyList<CompiledFlow> Flows { get; init; }

    public required IReadOnlyList<MappingTestCase> Tests { get; init; }

    /// <summary>A hash over every file's path and content: changes when any file is edited, added or deleted.</summary>
    public required string ContentHash { get; init; }

    /// <summary>The flows that take <paramref name="canonicalType"/>.</summary>
    public IEnumerable<CompiledFlow> FlowsFor(string canonicalType) => Flows.Where(f => f.Types.Contains(canonicalType));
}
