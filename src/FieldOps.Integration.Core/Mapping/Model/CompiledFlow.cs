using System.Collections.Concurrent;
using System.Text.Json;

namespace FieldOps.Integration.Core.Mapping.Model;

/// <summary>A flow file, compiled: which canonical events it takes and the operations it produces.</summary>
internal sealed class CompiledFlow
{
    public required string Name { get; init; }

    public required string File { get; init; }

    /// <summary>A hash of the file's content.</summary>
    public required string ContentHash { get; init; }

    public required IReadOnlySet<string> Types { get; init; }

    public CompiledTemplate? Condition { get; init; }

    /// <summary>The whole flow as one expression (see <see cref="TemplateCompiler.Flow"/>).</summary>
    public required CompiledTemplate Composite { get; init; }

    /// <summary>Lookup tables bound as variables.</summary>
    public required IReadOnlyDictionary<string, JsonElement> Lookups { get; init; }

    public required IReadOnlyList<CompiledOperation> Operations { get; init; }

    /// <summary>The reads made before the operations are mapped (<c>enrich</c>), in order; empty for most flows.</summary>
    public IReadOnlyList<CompiledEnrichStep> Enrich { get; init; } = [];

    /// <summary>The assertions <c>fieldops test</c> makes on this flow's operations (the router does not run them).</summary>
    public IReadOnlyList<CompiledCheck> Checks { get; init; } = [];

    /// <summary>The mapping revision under each profile (by the profile's content hash), computed once.</summary>
    public ConcurrentDictionary<string, string> Revisions { get; } = new(StringComparer.Ordinal);
}
