using System.Globalization;
using System.Text;
using FieldOps.Jsonata.Runtime;

namespace FieldOps.Jsonata.Parsing;

internal sealed partial class Lexer
{
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
