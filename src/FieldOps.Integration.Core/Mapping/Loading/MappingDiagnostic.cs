namespace FieldOps.Integration.Core.Mapping.Loading;

/// <summary>
/// One problem in a mapping file, pointing at the character that caused it: <c>file:line:column: message</c>.
/// </summary>
/// <param name="File">The mapping file, as the admin named it (relative to the mappings folder where possible).</param>
/// <param name="Line">1-based line in the file; 0 when the problem concerns the whole file.</param>
/// <param name="Column">1-based column in the line.</param>
/// <param name="Field">The field the problem is in (e.g. <c>operations[1].fields.Amount</c>), or null.</param>
/// <param name="Message">What is wrong.</param>
public sealed record MappingDiagnostic(string File, int Line, int Column, string? Field, string Message)
{
    /// <summary>The compiler-style line: <c>file:line:column: [field] message</c>.</summary>
    public override string ToString() =>
        Field is null
            ? FormattableString.Invariant($"{File}:{Line}:{Column}: {Message}")
            : FormattableString.Invariant($"{File}:{Line}:{Column}: {Field}: {Message}");
}
