namespace FieldOps.Jsonata.Parsing;

internal enum TokenType
{
    End,
    Operator,
    Name,
    Variable,
    String,
    Number,
    Value,
    Regex,
}

internal readonly record struct Token(TokenType Type, string Value, int Position, object? Literal = null);
