using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

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

    /// <summary>Runs a matcher function (regex or custom) at a start offset; returns the match object or null.</summary>
    private static JMap? MatchAt(Evaluator ev, JFunction f, string s, int start)
    {
        if (f is RegexFn r)
        {
            return RegexMatchObject(ev, r.Regex, s, start) as JMap;
        }

        var res = ev.Apply(f, [s], null);
        if (res is null)
        {
            return null;
        }

        if (res is not JMap m || !m.ContainsKey("match") || !m.ContainsKey("start"))
        {
            throw Errors.Create("T1010", token: "$match");
        }

        return m;
    }

    public static object? RegexMatchObject(Evaluator ev, Regex re, string? s, int start)
    {
        if (s is null)
        {
            return null;
        }

        System.Text.RegularExpressions.Match m;
        try
        {
            m = re.Match(s, Math.Min(start, s.Length));
        }
        catch (RegexMatchTimeoutException)
        {
            throw Errors.Create("U1001");
        }

        if (!m.Success)
        {
            return null;
        }

        if (m.Length == 0)
        {
            throw Errors.Create("D1004", value: re.ToString());
        }

        var obj = new JMap
        {
            ["match"] = m.Value,
            ["start"] = Num.FromLong(m.Index, ev.Mode),
            ["end"] = Num.FromLong(m.Index + m.Length, ev.Mode),
        };
        var groups = new JList();
        for (var g = 1; g < m.Groups.Count; g++)
        {
            groups.Add(m.Groups[g].Success ? m.Groups[g].Value : string.Empty);
        }

        obj["groups"] = groups;
        var next = m.Index + m.Length;
        obj["next"] = new NativeFn("next", null, (e2, _, _) => RegexMatchObject(e2, re, s, next));
        return obj;
    }

    private static List<JMap> AllMatches(Evaluator ev, JFunction f, string s, int limit)
    {
        var result = new List<JMap>();
        var pos = 0;
        if (f is RegexFn)
        {
            while (result.Count < limit && pos <= s.Length)
            {
                var m = MatchAt(ev, f, s, pos);
                if (m is null)
                {
                    break;
                }

                result.Add(m);
                pos = (int)Num.ToDouble(m["end"]!);
                ev.CheckTime();
            }

            return result;
        }

        var first = ev.Apply(f, [s], null);
        if (first is not null and not JMap)
        {
            throw Errors.Create("T1010", token: "$match");
        }

        var cur = first as JMap;
        while (cur is not null && result.Count < limit)
        {
            if (!cur.ContainsKey("match") || !cur.ContainsKey("start"))
            {
                throw Errors.Create("T1010", token: "$match");
            }

            result.Add(cur);
            cur = cur.GetValueOrDefault("next") is JFunction nf ? ev.Apply(nf, [], null) as JMap : null;
        }

        return result;
    }

    private static JList? Match(Evaluator ev, IReadOnlyList<object?> a)
    {
        if (Arg(a, 0) is not string s)
        {
            return null;
        }

        var limit = int.MaxValue;
        if (Arg(a, 2) is { } lim)
        {
            if (Num.ToDouble(lim) < 0)
            {
                throw Errors.Create("D3040", value: lim);
            }

            limit = (int)Num.ToDouble(lim);
        }

        var result = JList.Sequence();
        foreach (var m in AllMatches(ev, (JFunction)Arg(a, 1)!, s, limit))
        {
            result.Add(new JMap { ["match"] = m["match"], ["index"] = m["start"], ["groups"] = m.GetValueOrDefault("groups") });
        }

        return result;
    }

    private static JList? Split(Evaluator ev, IReadOnlyList<object?> a)
    {
        if (Arg(a, 0) is not string s)
        {
            return null;
        }

        var limit = int.MaxValue;
        if (Arg(a, 2) is { } lim)
        {
            if (Num.ToDouble(lim) < 0)
            {
                throw Errors.Create("D3020", value: lim);
            }

            limit = (int)Num.ToDouble(lim);
        }

        var result = new JList();
        if (Arg(a, 1) is string sep)
        {
            var parts = sep.Length == 0 ? CodePoints(s).Select(cp => char.ConvertFromUtf32(cp)).ToArray() : s.Split(sep);
            foreach (var p in parts.Take(limit))
            {
                result.Add(p);
            }

            return result;
        }

        var f = (JFunction)Arg(a, 1)!;
        var pos = 0;
        foreach (var m in AllMatches(ev, f, s, int.MaxValue))
        {
            var st = (int)Num.ToDouble(m["start"]!);
            result.Add(s[pos..st]);
            pos = st + ((string)m["match"]!).Length;
        }

        result.Add(s[pos..]);
        if (result.Count > limit)
        {
            result.RemoveRange(limit, result.Count - limit);
        }

        return result;
    }

    private static string? Replace(Evaluator ev, IReadOnlyList<object?> a)
    {
        if (Arg(a, 0) is not string s)
        {
            return null;
        }

        var pattern = Arg(a, 1);
        var replacement = Arg(a, 2);
        if (pattern is "")
        {
            throw Errors.Create("D3010", value: pattern);
        }

        var limit = int.MaxValue;
        if (Arg(a, 3) is { } lim)
        {
            if (Num.ToDouble(lim) < 0)
            {
                throw Errors.Create("D3011", value: lim);
            }

            limit = (int)Num.ToDouble(lim);
        }

        var sb = new StringBuilder();
        var pos = 0;
        if (pattern is string ps)
        {
            var count = 0;
            while (count < limit)
            {
                var i = s.IndexOf(ps, pos, StringComparison.Ordinal);
                if (i < 0)
                {
                    break;
                }

                sb.Append(s, pos, i - pos);
                var mobj = new JMap { ["match"] = ps, ["index"] = Num.FromLong(i, ev.Mode), ["groups"] = new JList() };
                sb.Append(Substitute(ev, replacement, mobj));
                pos = i + ps.Length;
                count++;
            }

            sb.Append(s, pos, s.Length - pos);
            return sb.ToString();
        }

        foreach (var m in AllMatches(ev, (JFunction)pattern!, s, limit))
        {
            var st = (int)Num.ToDouble(m["start"]!);
            sb.Append(s, pos, st - pos);
            var mobj = new JMap { ["match"] = m["match"], ["index"] = m["start"], ["groups"] = m.GetValueOrDefault("groups") ?? new JList() };
            sb.Append(Substitute(ev, replacement, mobj));
            pos = st + ((string)m["match"]!).Length;
        }

        sb.Append(s, pos, s.Length - pos);
        return sb.ToString();
    }

    private static string Substitute(Evaluator ev, object? replacement, JMap match)
    {
        if (replacement is JFunction f)
        {
            var r = ev.Apply(f, [match], null);
            return r as string ?? throw Errors.Create("D3012", value: r);
        }

        var rep = (string)replacement!;
        var groups = (JList)match["groups"]!;
        var sb = new StringBuilder();
        var pos = 0;
        var idx = rep.IndexOf('$', pos);
        while (idx >= 0 && pos < rep.Length)
        {
            sb.Append(rep, pos, idx - pos);
            pos = idx + 1;
            var c = pos < rep.Length ? rep[pos] : '\0';
            if (c == '$')
            {
                sb.Append('$');
                pos++;
            }
            else if (c == '0')
            {
                sb.Append((string)match["match"]!);
                pos++;
            }
            else
            {
                var maxDigits = groups.Count == 0 ? 1 : (int)Math.Floor(Math.Log10(groups.Count)) + 1;
                var n = ParseLeadingInt(rep, pos, maxDigits);
                if (maxDigits > 1 && n > groups.Count)
                {
                    n = ParseLeadingInt(rep, pos, maxDigits - 1);
                }

                if (n >= 0)
                {
                    if (groups.Count > 0 && n - 1 < groups.Count && n >= 1)
                    {
                        sb.Append(groups[n - 1] as string);
                    }

                    pos += n.ToString(CultureInfo.InvariantCulture).Length;
                }
                else
                {
                    sb.Append('$');
                }
            }

            idx = rep.IndexOf('$', pos);
        }

        sb.Append(rep.AsSpan(Math.Min(pos, rep.Length)));
        return sb.ToString();
    }

    private static int ParseLeadingInt(string s, int pos, int maxDigits)
    {
        var end = pos;
        while (end < s.Length && end - pos < maxDigits && char.IsAsciiDigit(s[end]))
        {
            end++;
        }

        return end == pos ? -1 : int.Parse(s.AsSpan(pos, end - pos), CultureInfo.InvariantCulture);
    }
}
