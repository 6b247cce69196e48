using System.Globalization;
using System.Text;

namespace FieldOps.Jsonata.Runtime;

/// <summary>JSON text exactly like JavaScript's <c>JSON.stringify</c> (escaping, number format, 2-space indent).</summary>
internal static class JsonText
{
    public static string Stringify(object? v, bool indent, bool precision15)
    {
        var sb = new StringBuilder();
        Write(sb, v, indent, precision15, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? v, bool indent, bool precision15, int level)
    {
        switch (v)
        {
            case null:
            case JNull:
                sb.Append("null");
                break;
            case string s:
                WriteString(sb, s);
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case double or decimal:
                if (!Num.IsFinite(v))
                {
                    if (precision15)
                    {
                        throw Errors.Create("D1001", value: v);
                    }

                    sb.Append("null");
                }
                else
                {
                    sb.Append(precision15 ? Num.FormatPrecision15(v) : Num.Format(v));
                }

                break;
            case JFunction:
                sb.Append("\"\"");
                break;
            case JList l:
                if (l.Count == 0)
                {
                    sb.Append("[]");
                    break;
                }

                sb.Append('[');
                for (var i = 0; i < l.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    NewLine(sb, indent, level + 1);
                    Write(sb, l[i], indent, precision15, level + 1);
                }

                NewLine(sb, indent, level);
                sb.Append(']');
                break;
            case JMap m:
                var first = true;
                sb.Append('{');
                foreach (var kv in m)
                {
                    if (kv.Value is null)
                    {
                        continue;
                    }

                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    NewLine(sb, indent, level + 1);
                    WriteString(sb, kv.Key);
                    sb.Append(indent ? ": " : ":");
                    Write(sb, kv.Value, indent, precision15, level + 1);
                }

                if (!first)
                {
                    NewLine(sb, indent, level);
                }

                sb.Append('}');
                break;
            default:
                sb.Append("null");
                break;
        }
    }

    private static void NewLine(StringBuilder sb, bool indent, int level)
    {
        if (indent)
        {
            sb.Append('\n').Append(' ', level * 2);
        }
    }

    public static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20 || (char.IsSurrogate(c) && !IsPaired(s, i)))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }

    private static bool IsPaired(string s, int i) => char.IsHighSurrogate(s[i])
        ? i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])
        : i > 0 && char.IsHighSurrogate(s[i - 1]);
}
