using System.Text.Json;

namespace FieldOps.Integration.Core.Mapping.Model;

/// <summary>A source profile, compiled: how one source kind's raw payload becomes a canonical event.</summary>
internal sealed class CompiledProfile
{
    public required string Name { get; init; }

    public required string SourceKind { get; init; }

    public required string File { get; init; }

    public required string ContentHash { get; init; }

    /// <summary>Conditions that must give a value first, by the reason shown while they do not.</summary>
    public required IReadOnlyList<(string Reason, CompiledTemplate Expression)> Requires { get; init; }

    public required IReadOnlyDictionary<string, JsonElement> Lookups { get; init; }

    /// <summary>An object with the envelope fields.</summary>
    public required CompiledTemplate Envelope { get; init; }

    /// <summary>The entity expression by canonical entity type (<c>*</c> for any).</summary>
    public required IReadOnlyDictionary<string, CompiledTemplate> Entities { get; init; }
}
