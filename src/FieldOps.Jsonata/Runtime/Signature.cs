namespace FieldOps.Jsonata.Runtime;

/// <summary>A parsed JSONata function signature such as <c>&lt;s-n?:s&gt;</c>, with argument validation.</summary>
internal sealed class Signature
{
    private readonly List<Param> _params;

    private Signature(string text, List<Param> ps)
    {
        Text = text;
        _params = ps;
    }

    public string Text { get; }

    public int ParamCount => _params.Count;

    public int RequiredCount => _params.Count(p => !p.Optional);

    public static Signature Parse(string sig, int position = -1)
    {
        var ps = new List<Param>();
        var i = 1;
        while (i < sig.Length && sig[i] != ':' && sig[i] != '>')
        {
            var c = sig[i];
            switch (c)
            {
                case 'b' or 'n' or 's' or 'l' or 'o' or 'f' or 'a':
                    ps.Add(new Param(c.ToString()));
                    break;
                case 'j':
                    ps.Add(new Param("bnsloa"));
                    break;
                case 'x':
                    ps.Add(new Param("bnsloaf"));
                    break;
                case 'u':
                    ps.Add(new Param("bnsl"));
                    break;
                case '(':
                    var end = sig.IndexOf(')', i);
                    var types = string.Empty;
                    for (var k = i + 1; k < end; k++)
                    {
                        types += sig[k] switch
                        {
                            'j' => "bnsloa",
                            'x' => "bnsloaf",
                            'u' => "bnsl",
                            '<' => throw Errors.Create("S0402", position),
                            var t => t.ToString(),
                        };
                    }

                    ps.Add(new Param(types));
                    i = end;
                    break;
                case '<':
                    var prev = ps.Count > 0 ? ps[^1] : null;
                    if (prev is null || (prev.Types != "a" && prev.Types != "f"))
                    {
                        throw Errors.Create("S0401", position, value: sig);
                    }

                    var depth = 1;
                    var j = i + 1;
                    while (j < sig.Length && depth > 0)
                    {
                        if (sig[j] == '<')
                        {
                            depth++;
                        }
                        else if (sig[j] == '>')
                        {
                            depth--;
                        }

                        j++;
                    }

                    prev.Sub = sig[(i + 1)..(j - 1)];
                    i = j - 1;
                    break;
                case '?':
                    ps[^1].Optional = true;
                    break;
                case '+':
                    ps[^1].Variadic = true;
                    break;
                case '-':
                    ps[^1].Context = true;
                    break;
                default:
                    throw Errors.Create("S0401", position, value: sig);
            }

            i++;
        }

        return new Signature(sig, ps);
    }

    public static char Symbol(object? v) => v switch
    {
        null => 'm',
        string => 's',
        double or decimal => 'n',
        bool => 'b',
        JNull => 'l',
        JList => 'a',
        JMap => 'o',
        JFunction => 'f',
        _ => 'x',
    };

    /// <summary>Validates (and coerces) arguments; inserts the context value where the signature says so.</summary>
    public IReadOnlyList<object?> Validate(IReadOnlyList<object?> args, object? context, string name, int position)
    {
        var state = new MatchState(args);
        var assign = new int[_params.Count];
        if (!Match(0, 0, args, state, assign))
        {
            var idx = state.MaxFail + 1;
            throw Errors.Create("T0410", position, name, index: idx, value: idx - 1 < args.Count ? args[idx - 1] : null);
        }

        var result = new List<object?>(args.Count + 1);
        var ai = 0;
        for (var pi = 0; pi < _params.Count; pi++)
        {
            var p = _params[pi];
            var count = assign[pi];
            if (count == -1)
            {
                if (!Fits(p, context))
                {
                    throw Errors.Create("T0411", position, name, index: pi + 1, value: context);
                }

                result.Add(Coerce(p, context, pi, name, position));
                continue;
            }

            for (var k = 0; k < count; k++)
            {
                result.Add(Coerce(p, args[ai], ai, name, position));
                ai++;
            }
        }

        return result;
    }

    private static object? Coerce(Param p, object? arg, int index, string name, int position)
    {
        if (p.Types == "a" && arg is not null)
        {
            if (arg is not JList list)
            {
                list = [arg];
                arg = list;
            }

            if (p.Sub is { Length: 1 } sub && sub != "x" && sub != "j")
            {
                foreach (var item in list)
                {
                    if (Symbol(item) != sub[0])
                    {
                        throw Errors.Create("T0412", position, name, index: index + 1, detail: TypeName(sub[0]));
                    }
                }
            }
        }

        return arg;
    }

    private static string TypeName(char c) => c switch
    {
        's' => "strings",
        'n' => "numbers",
        'b' => "booleans",
        'o' => "objects",
        'a' => "arrays",
        'f' => "functions",
        'l' => "nulls",
        _ => "values",
    };

    private static bool Fits(Param p, object? v)
    {
        var s = Symbol(v);
        return s == 'm' || p.Types.Contains(s, StringComparison.Ordinal) || p.Types.Contains('a', StringComparison.Ordinal) && p.Types.Length == 1 && s != 'f';
    }

    private bool Match(int pi, int ai, IReadOnlyList<object?> args, MatchState st, int[] assign)
    {
        if (pi == _params.Count)
        {
            if (ai != args.Count)
            {
                st.Fail(ai);
                return false;
            }

            return true;
        }

        var p = _params[pi];
        if (p.Variadic)
        {
            var k = ai;
            while (k < args.Count && Fits(p, args[k]))
            {
                k++;
            }

            if (k < args.Count)
            {
                st.Fail(k);
            }

            for (var end = k; end > ai; end--)
            {
                if (Match(pi + 1, end, args, st, assign))
                {
                    assign[pi] = end - ai;
                    return true;
                }
            }

            if (p.Optional && Match(pi + 1, ai, args, st, assign))
            {
                assign[pi] = 0;
                return true;
            }

            return false;
        }

        if (ai < args.Count)
        {
            if (Fits(p, args[ai]))
            {
                if (Match(pi + 1, ai + 1, args, st, assign))
                {
                    assign[pi] = 1;
                    return true;
                }
            }
            else
            {
                st.Fail(ai);
            }
        }

        if (p.Context && Match(pi + 1, ai, args, st, assign))
        {
            assign[pi] = -1;
            return true;
        }

        if (p.Optional && Match(pi + 1, ai, args, st, assign))
        {
            assign[pi] = 0;
            return true;
        }

        if (ai >= args.Count)
        {
            st.Fail(ai);
        }

        return false;
    }

    private sealed class MatchState(IReadOnlyList<object?> args)
    {
        public int MaxFail { get; private set; } = -1;

        public void Fail(int ai) => MaxFail = Math.Max(MaxFail, Math.Min(ai, args.Count));
    }

    private sealed class Param(string types)
    {
        public string Types { get; } = types;

        public string? Sub { get; set; }

        public bool Optional { get; set; }

        public bool Variadic { get; set; }

        public bool Context { get; set; }
    }
}
