namespace FieldOps.Jsonata;

/// <summary>Per-evaluation guardrails and services.</summary>
public sealed class EvaluationOptions
{
    /// <summary>Shared default options (no time limit, depth 500, system clock).</summary>
    public static EvaluationOptions Default { get; } = new();

    /// <summary>Maximum wall time of one evaluation; <c>null</c> means no limit. Exceeding it throws <c>U1001</c>.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>Maximum nesting depth of evaluation (counted per evaluated expression node, like JSONata's harness). Exceeding it throws <c>U1001</c>.</summary>
    public int MaxDepth { get; init; } = 500;

    /// <summary>Clock used for <c>$now()</c>, <c>$millis()</c> and the time limit.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
