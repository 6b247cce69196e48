using System.Text.RegularExpressions;

namespace FieldOps.Jsonata.Runtime;

internal static partial class Builtins
{
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
}
