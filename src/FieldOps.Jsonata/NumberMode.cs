namespace FieldOps.Jsonata;

/// <summary>How numbers are represented during evaluation.</summary>
public enum NumberMode
{
    /// <summary>Arithmetic in <see cref="decimal"/> (exact money); falls back to double beyond decimal's range. The default.</summary>
    Decimal,

    /// <summary>IEEE double arithmetic, exactly as JSONata (JavaScript) does it.</summary>
    Double,
}
