namespace FieldOps.Integration.Core.Mapping.Model;

/// <summary>Where one mapping expression sits inside a composite expression: [Start, End) and its JSON pointer in the file.</summary>
internal readonly record struct ExpressionSegment(int Start, int End, string Pointer);
