using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Mapping.Loading;

namespace FieldOps.Integration.Core.Mapping.Model;

/// <summary>A mapping unit test: an input payload and the operations expected from it.</summary>
internal sealed class MappingTestCase
{
    public required string Name { get; init; }

    public required string File { get; init; }

    public required string SourceKind { get; init; }

    public required JsonObject Event { get; init; }

    /// <summary>Known cross-references: (system, type, sourceId) → targetId.</summary>
    public required IReadOnlyDictionary<(string System, string Type, string SourceId), string> Xrefs { get; init; }

    /// <summary>The expected operations; each only compares the properties it names.</summary>
    public required JsonArray Expect { get; init; }

    /// <summary>The company settings (<c>$company</c>) the test runs with, over the engine's; null for the engine's own.</summary>
    public JsonObject? Company { get; init; }

    /// <summary>The answers of the flows' <c>enrich</c> reads, by step name; null when the test gives none.</summary>
    public JsonObject? Enrich { get; init; }

    /// <summary>Text the unmatched reason must contain, when the test expects no operations.</summary>
    public string? ExpectUnmatched { get; init; }

    internal required YamlJsonDocument Document { get; init; }
}
