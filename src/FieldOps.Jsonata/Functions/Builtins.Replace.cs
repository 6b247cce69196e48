using System.Globalization;
using System.Text;

namespace FieldOps.Jsonata.Runtime;

internal static partial class Builtins
{
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
