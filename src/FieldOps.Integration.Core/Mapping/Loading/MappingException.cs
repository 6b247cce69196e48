namespace FieldOps.Integration.Core.Mapping.Loading;

/// <summary>A mapping file could not be loaded or evaluated; <see cref="Diagnostics"/> say where and why.</summary>
public sealed class MappingException : Exception
{
    public MappingException() : this([]) { }

    public MappingException(string message) : base(message) => Diagnostics = [];

    public MappingException(string message, Exception innerException) : base(message, innerException) => Diagnostics = [];

    public MappingException(IReadOnlyList<MappingDiagnostic> diagnostics)
        : base(diagnostics is { Count: > 0 } ? string.Join(Environment.NewLine, diagnostics) : "mapping error") =>
        Diagnostics = diagnostics;

    public MappingException(MappingDiagnostic diagnostic) : this([diagnostic]) { }

    /// <summary>True when an expression ran past its time limit (wall clock: trying again may pass).</summary>
    public bool TimeLimitExceeded { get; init; }

    /// <summary>Every problem found, each with file, line and column.</summary>
    public IReadOnlyList<MappingDiagnostic> Diagnostics { get; }
}
