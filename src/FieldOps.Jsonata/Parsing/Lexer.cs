using System.Globalization;
using System.Text;
using FieldOps.Jsonata.Runtime;

namespace FieldOps.Jsonata.Parsing;

/// <summary>Turns JSONata source into tokens, on demand.</summary>
internal sealed class Lexer
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

    private string ReadString(char quote)
    {
        var start = Pos;
        Pos++;
        var sb = new StringBuilder();
        while (Pos < _src.Length)
        {
            var c = _src[Pos];
            if (c == '\\')
            {
                Pos++;
                if (Pos >= _src.Length)
                {
                    break;
                }

                var e = _src[Pos];
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case '\'': sb.Append('\''); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        if (Pos + 4 < _src.Length && int.TryParse(_src.AsSpan(Pos + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                        {
                            sb.Append((char)code);
                            Pos += 4;
                        }
                        else
                        {
                            throw Errors.Create("S0104", Pos);
                        }

                        break;
                    default:
                        throw Errors.Create("S0103", Pos, e.ToString());
                }
            }
            else if (c == quote)
            {
                Pos++;
                return sb.ToString();
            }
            else
            {
                sb.Append(c);
            }

            Pos++;
        }

        throw Errors.Create("S0101", start);
    }

    private Token ReadNumber()
    {
        var start = Pos;
        var i = Pos;
        if (_src[i] == '0')
        {
            i++;
        }
        else
        {
            while (i < _src.Length && char.IsAsciiDigit(_src[i]))
            {
                i++;
            }
        }

        if (i + 1 < _src.Length && _src[i] == '.' && char.IsAsciiDigit(_src[i + 1]))
        {
            i++;
            while (i < _src.Length && char.IsAsciiDigit(_src[i]))
            {
                i++;
            }
        }

        if (i < _src.Length && (_src[i] == 'e' || _src[i] == 'E'))
        {
            var j = i + 1;
            if (j < _src.Length && (_src[j] == '+' || _src[j] == '-'))
            {
                j++;
            }

            if (j < _src.Length && char.IsAsciiDigit(_src[j]))
            {
                while (j < _src.Length && char.IsAsciiDigit(_src[j]))
                {
                    j++;
                }

                i = j;
            }
        }

        var text = _src[start..i];
        Pos = i;
        var d = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(d))
        {
            throw Errors.Create("S0102", start, text);
        }

        object value = d;
        if (_mode == NumberMode.Decimal && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) && (m != 0 || d == 0))
        {
            value = m;
        }

        return new Token(TokenType.Number, text, start, value);
    }

    private Token ReadRegex()
    {
        var start = Pos;
        var i = Pos + 1;
        var inClass = false;
        while (i < _src.Length)
        {
            var c = _src[i];
            if (c == '\\')
            {
                i += 2;
                continue;
            }

            if (c == '[')
            {
                inClass = true;
            }
            else if (c == ']')
            {
                inClass = false;
            }
            else if (c == '/' && !inClass)
            {
                break;
            }

            i++;
        }

        if (i >= _src.Length)
        {
            throw Errors.Create("S0302", start);
        }

        var pattern = _src[(start + 1)..i];
        if (pattern.Length == 0)
        {
            throw Errors.Create("S0301", start);
        }

        i++;
        var fStart = i;
        while (i < _src.Length && (_src[i] == 'i' || _src[i] == 'm' || _src[i] == 'g'))
        {
            i++;
        }

        var flags = _src[fStart..i];
        Pos = i;
        return new Token(TokenType.Regex, pattern, start, flags);
    }
}
