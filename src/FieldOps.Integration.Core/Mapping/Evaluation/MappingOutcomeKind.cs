namespace FieldOps.Integration.Core.Mapping.Evaluation;

/// <summary>What the mappings made of an event.</summary>
public enum MappingOutcomeKind
{
    /// <summary>Normalised and matched: zero or more operations to write.</summary>
    Routed,

    /// <summary>No flow took it (or the profile says it is not ready): kept visibly with the reason.</summary>
    Unmatched,

    /// <summary>A mapping failed: parked with file, line, column, field and error.</summary>
    Parked,
}
