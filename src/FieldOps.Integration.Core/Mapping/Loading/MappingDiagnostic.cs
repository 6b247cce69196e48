namespace FieldOps.Integration.Core.Mapping.Loading;

/// <summary>
/// One problem in a mapping file, pointing at the character that caused it: <c>file:line:column: message</c>.
/// </summary>
/// <param name="File">The mapping file, as the admin named it (relative to the mappings folder where possible).</param>
/// <param name="Line">1-based line in the file; 0 when the problem concerns the whole file.</param>
/// <param name="Column">1-based column in the line.</param>
/// <param name="Field">The field the problem is in (e.g. <c>operations[1].fields.Amount</c>), or null.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="IsWarning">
/// A warning does not refuse the file (e.g. a string expression into a decimal field, or a field the flow marks as
/// known-unknown); an error does.
/// </param>
public sealed record MappingDiagnostic(string File, int Line, int Column, string? Field, string Message, bool IsWarning = false)
{
    /// <summary>The compiler-style line: <c>file:line:column: [warning: ][field: ]message</c>.</summary>
    public override string ToString()
    {
        var severity = IsWarning ? "warning: " : "";
        return Field is null
            ? FormattableString.Invariant($"{File}:{Line}:{Column}: {severity}{Message}")
            : FormattableString.Invariant($"{File}:{Line}:{Column}: {severity}{Field}: {Message}");
    }

    /// <summary>The same problem as a warning.</summary>
    public MappingDiagnostic AsWarning() => this with { IsWarning = true };

    /// <summary>True when any of <paramref name="diagnostics"/> (from <paramref name="start"/> on) is an error.</summary>
    public static bool AnyError(IReadOnlyList<MappingDiagnostic> diagnostics, int start = 0)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        for (var i = start; i < diagnostics.Count; i++)
            if (!diagnostics[i].IsWarning)
                return true;
        return false;
    }
}
