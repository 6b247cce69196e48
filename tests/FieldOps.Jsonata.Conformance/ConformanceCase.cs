using System.Text.Json;

namespace FieldOps.Jsonata.Conformance;

/// <summary>One test case of the suite.</summary>
public sealed class ConformanceCase
{
    public required string Id { get; init; }

    public required string Group { get; init; }

    /// <summary>Expression text; <c>null</c> when its <c>expr-file</c> is missing from the suite.</summary>
    public required string? Expr { get; init; }

    /// <summary>Input document; <c>null</c> when the input is undefined.</summary>
    public JsonElement? Input { get; init; }

    public Dictionary<string, JsonElement> Bindings { get; init; } = [];

    public int? TimeLimitMs { get; init; }

    public int? Depth { get; init; }

    public JsonElement? Result { get; init; }

    public bool UndefinedResult { get; init; }

    public string? Code { get; init; }

    public string? Token { get; init; }
}
