using FieldOps.Jsonata.Runtime;

namespace FieldOps.Jsonata.Parsing;

/// <summary>Turns JSONata source into tokens, on demand.</summary>
internal sealed partial class Lexer
{
    private static readonly string[] TwoCharOps = ["..", ":=", "!=", "<=", ">=", "**", "~>", "?:", "??"];
    private const string SingleOps = ".[]{}(),@#;:?+-*/%|=<>^&!~";
    private readonly string _src;
    private readonly NumberMode _mode;
    private bool _prevOperand;

    public Lexer(string source, NumberMode mode)
    {
        _src = source;
        _mode = mode;
    }

    public int Pos { get; set; }

    public string Source => _src;

    public Token Next()
    {
        SkipWhitespaceAndComments();
        if (Pos >= _src.Length)
        {
            return new Token(TokenType.End, "(end)", Pos);
        }

        var start = Pos;
        var c = _src[Pos];
        if (c == '/' && !_prevOperand)
        {
            return Operand(ReadRegex());
        }

        if (c == '.' && Pos + 1 < _src.Length && _src[Pos + 1] == '.')
        {
            Pos += 2;
            return Op("..", start);
        }

        foreach (var op in TwoCharOps)
        {
            if (string.CompareOrdinal(_src, Pos, op, 0, 2) == 0)
            {
                Pos += 2;
                return Op(op, start);
            }
        }

        if (SingleOps.Contains(c, StringComparison.Ordinal))
        {
            Pos++;
            var t = Op(c.ToString(), start);
            if (c is ')' or ']' or '}')
            {
                _prevOperand = true;
            }

            return t;
        }

        if (c is '"' or '\'')
        {
            return Operand(new Token(TokenType.String, ReadString(c), start));
        }

        if (char.IsAsciiDigit(c))
        {
            return Operand(ReadNumber());
        }

        if (c == '`')
        {
            var end = _src.IndexOf('`', Pos + 1);
            if (end < 0)
            {
                throw Errors.Create("S0105", Pos);
            }

            var name = _src[(Pos + 1)..end];
            Pos = end + 1;
            return Operand(new Token(TokenType.Name, name, start));
        }

        var i = Pos;
        while (i < _src.Length && !IsDelimiter(_src[i]))
        {
            i++;
        }

        var word = _src[Pos..i];
        Pos = i;
        if (word.StartsWith('$'))
        {
            return Operand(new Token(TokenType.Variable, word[1..], start));
        }

        switch (word)
        {
            case "and":
            case "or":
            case "in":
                _prevOperand = false;
                return new Token(TokenType.Operator, word, start);
            case "true":
                return Operand(new Token(TokenType.Value, word, start, Json.Bool(true)));
            case "false":
                return Operand(new Token(TokenType.Value, word, start, Json.Bool(false)));
            case "null":
                return Operand(new Token(TokenType.Value, word, start, JNull.Value));
            default:
                if (word.Length == 0)
                {
                    throw Errors.Create("S0204", start, c.ToString());
                }

                return Operand(new Token(TokenType.Name, word, start));
        }
    }

    /// <summary>Reads the raw text of a function signature, starting just after the opening <c>&lt;</c>.</summary>
    public string ReadSignature(int openPos)
    {
        var depth = 1;
        var i = openPos + 1;
        while (i < _src.Length && depth > 0)
        {
            if (_src[i] == '<')
            {
                depth++;
            }
            else if (_src[i] == '>')
            {
                depth--;
            }

            i++;
        }

        if (depth > 0)
        {
            throw Errors.Create("S0203", _src.Length, value: ">");
        }

        Pos = i;
        _prevOperand = false;
        return _src[openPos..i];
    }

    private static bool IsDelimiter(char c) => char.IsWhiteSpace(c) || SingleOps.Contains(c, StringComparison.Ordinal) || c is '"' or '\'' or '`';

    private Token Op(string op, int start)
    {
        _prevOperand = false;
        return new Token(TokenType.Operator, op, start);
    }

    private Token Operand(Token t)
    {
        _prevOperand = true;
        return t;
    }

    private void SkipWhitespaceAndComments()
    {
        while (Pos < _src.Length)
        {
            if (char.IsWhiteSpace(_src[Pos]))
            {
                Pos++;
            }
            else if (_src[Pos] == '/' && Pos + 1 < _src.Length && _src[Pos + 1] == '*')
            {
                var end = _src.IndexOf("*/", Pos + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw Errors.Create("S0106", Pos);
                }

                Pos = end + 2;
            }
            else
            {
                break;
            }
        }
    }
}
