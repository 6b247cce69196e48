namespace FieldOps.Jsonata;

/// <summary>A JSONata compile or evaluation error, carrying JSONata's error code and source position.</summary>
public class JsonataException : Exception
{
    public JsonataException()
        : this("U0000", "JSONata error")
    {
    }

    public JsonataException(string message)
        : this("U0000", message)
    {
    }

    public JsonataException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "U0000";
        Position = -1;
    }

    /// <summary>Creates an error.</summary>
    /// <param name="code">JSONata error code, e.g. <c>T0410</c>.</param>
    /// <param name="message">Human readable message.</param>
    /// <param name="position">0-based character offset in the source, or -1.</param>
    /// <param name="token">The offending token, if known.</param>
    public JsonataException(string code, string message, int position = -1, string? token = null)
        : base(message)
    {
        Code = code;
        Position = position;
        Token = token;
    }

    /// <summary>JSONata error code: S0xxx syntax, T0xxx/T1xxx/T2xxx type, D1xxx-D3xxx dynamic, U1001 guardrails.</summary>
    public string Code { get; }

    /// <summary>
    /// True when the evaluation ran past <see cref="EvaluationOptions.TimeLimit"/>: measured on the wall clock, so unlike
    /// every other error it may not happen again (the thread may have waited for a CPU or a garbage collection).
    /// </summary>
    public bool TimeLimitExceeded { get; init; }

    /// <summary>0-based character offset in the expression source, or -1 when unknown.</summary>
    public int Position { get; internal set; }

    /// <summary>The token the error is associated with, when known.</summary>
    public string? Token { get; internal set; }

    /// <summary>Computes 1-based line and column of <see cref="Position"/> in <paramref name="source"/>.</summary>
    /// <returns>(0, 0) when the position is unknown.</returns>
    public (int Line, int Column) GetLineColumn(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (Position < 0)
        {
            return (0, 0);
        }

        int line = 1, col = 1;
        for (var i = 0; i < Position && i < source.Length; i++)
        {
            if (source[i] == '\n')
            {
                line++;
                col = 1;
            }
            else
            {
                col++;
            }
        }

        return (line, col);
    }
}
