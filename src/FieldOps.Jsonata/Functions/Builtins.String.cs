using System.Text;

namespace FieldOps.Jsonata.Runtime;

internal static partial class Builtins
{
    private static void RegisterString(Action<string, string, NativeImpl> add)
    {
        add("string", "<x-b?:s>", (_, a, _) =>
        {
            var v = Arg(a, 0);
            return v is null ? null : StringOf(v, ToBoolean(Arg(a, 1)) == true);
        });
        add("substring", "<s-nn?:s>", (_, a, _) => Arg(a, 0) is string s ? Substring(s, Num.ToDouble(Arg(a, 1)!), Arg(a, 2) is { } len ? Num.ToDouble(len) : null) : null);
        add("substringBefore", "<s-s:s>", (_, a, _) =>
        {
            if (Arg(a, 0) is not string s || Arg(a, 1) is not string c)
            {
                return Arg(a, 0);
            }

            var i = s.IndexOf(c, StringComparison.Ordinal);
            return i < 0 ? s : s[..i];
        });
        add("substringAfter", "<s-s:s>", (_, a, _) =>
        {
            if (Arg(a, 0) is not string s || Arg(a, 1) is not string c)
            {
                return Arg(a, 0);
            }

            var i = s.IndexOf(c, StringComparison.Ordinal);
            return i < 0 ? s : s[(i + c.Length)..];
        });
        add("lowercase", "<s-:s>", (_, a, _) => (Arg(a, 0) as string)?.ToLowerInvariant());
        add("uppercase", "<s-:s>", (_, a, _) => (Arg(a, 0) as string)?.ToUpperInvariant());
        add("length", "<s-:n>", (ev, a, _) => Arg(a, 0) is string s ? Num.FromLong(CodePoints(s).Length, ev.Mode) : null);
        add("trim", "<s-:s>", (_, a, _) => Arg(a, 0) is string s ? Trim(s) : null);
        add("pad", "<s-ns?:s>", (_, a, _) => Arg(a, 0) is string s ? Pad(s, (int)Num.ToDouble(Arg(a, 1)!), Arg(a, 2) as string) : null);
        add("contains", "<s-(sf):b>", (ev, a, _) =>
        {
            if (Arg(a, 0) is not string s)
            {
                return null;
            }

            return Arg(a, 1) switch
            {
                string p => Json.Bool(s.Contains(p, StringComparison.Ordinal)),
                JFunction f => Json.Bool(MatchAt(ev, f, s, 0) is not null),
                _ => null,
            };
        });
        add("split", "<s-(sf)n?:a<s>>", (ev, a, _) => Split(ev, a));
        add("join", "<a<s>s?:s>", (_, a, _) => Arg(a, 0) is JList l ? string.Join(Arg(a, 1) as string ?? string.Empty, l.Cast<string>()) : null);
        add("match", "<s-f<s:o>n?:a<o>>", (ev, a, _) => Match(ev, a));
        add("replace", "<s-(sf)(sf)n?:s>", (ev, a, _) => Replace(ev, a));
        add("base64encode", "<s-:s>", (_, a, _) => Arg(a, 0) is string s ? Convert.ToBase64String(Encoding.UTF8.GetBytes(s)) : null);
        add("base64decode", "<s-:s>", (_, a, _) => Arg(a, 0) is string s ? Encoding.UTF8.GetString(Convert.FromBase64String(s)) : null);
        add("encodeUrlComponent", "<s-:s>", (_, a, _) => Arg(a, 0) is string s ? UrlCodec.Encode(s, "encodeUrlComponent", false) : null);
        add("encodeUrl", "<s-:s>", (_, a, _) => Arg(a, 0) is string s ? UrlCodec.Encode(s, "encodeUrl", true) : null);
        add("decodeUrlComponent", "<s-:s>", (_, a, _) => Arg(a, 0) is string s ? UrlCodec.Decode(s, "decodeUrlComponent", false) : null);
        add("decodeUrl", "<s-:s>", (_, a, _) => Arg(a, 0) is string s ? UrlCodec.Decode(s, "decodeUrl", true) : null);
    }

    public static int[] CodePoints(string s)
    {
        var list = new List<int>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                list.Add(char.ConvertToUtf32(s[i], s[i + 1]));
                i++;
            }
            else
            {
                list.Add(s[i]);
            }
        }

        return [.. list];
    }

    private static string FromCodePoints(int[] cps, int start, int count)
    {
        var sb = new StringBuilder();
        for (var i = start; i < start + count; i++)
        {
            if (cps[i] > 0xFFFF)
            {
                sb.Append(char.ConvertFromUtf32(cps[i]));
            }
            else
            {
                sb.Append((char)cps[i]);
            }
        }

        return sb.ToString();
    }

    private static string Substring(string s, double start, double? length)
    {
        var cps = CodePoints(s);
        var len = cps.Length;
        var st = (int)Math.Round(start, MidpointRounding.ToEven);
        if (double.IsNaN(start))
        {
            st = 0;
        }

        if (st < 0)
        {
            st = Math.Max(0, len + st);
        }

        if (st >= len)
        {
            return string.Empty;
        }

        var count = len - st;
        if (length is { } l)
        {
            var li = (int)Math.Round(l, MidpointRounding.ToEven);
            if (li <= 0)
            {
                return string.Empty;
            }

            count = Math.Min(count, li);
        }

        return FromCodePoints(cps, st, count);
    }

    private static string Trim(string s)
    {
        var sb = new StringBuilder(s.Length);
        var space = false;
        foreach (var c in s)
        {
            if (c is ' ' or '\t' or '\n' or '\r')
            {
                space = true;
                continue;
            }

            if (space && sb.Length > 0)
            {
                sb.Append(' ');
            }

            space = false;
            sb.Append(c);
        }

        return sb.ToString();
    }

    private static string Pad(string s, int width, string? ch)
    {
        if (string.IsNullOrEmpty(ch))
        {
            ch = " ";
        }

        var len = CodePoints(s).Length;
        var padLen = Math.Abs(width) - len;
        if (padLen <= 0)
        {
            return s;
        }

        var sb = new StringBuilder();
        while (CodePoints(sb.ToString()).Length < padLen)
        {
            sb.Append(ch);
        }

        var pcp = CodePoints(sb.ToString());
        var padding = FromCodePoints(pcp, 0, padLen);
        return width < 0 ? padding + s : s + padding;
    }
}
