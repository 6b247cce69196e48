namespace FieldOps.Jsonata;

/// <summary>Compile-time options of a <see cref="JsonataExpression"/>.</summary>
public sealed class JsonataOptions
{
    /// <summary>Number representation; <see cref="NumberMode.Decimal"/> by default.</summary>
    public NumberMode NumberMode { get; init; } = NumberMode.Decimal;

    /// <summary>Host functions made available to the expression (in addition to the built-ins).</summary>
    public JsonataFunctionRegistry? Functions { get; init; }
}
