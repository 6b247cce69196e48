namespace FieldOps.Jsonata.Runtime;

internal sealed partial class Signature
{
    /// <summary>Validates (and coerces) arguments; inserts the context value where the signature says so.</summary>
    public IReadOnlyList<object?> Validate(IReadOnlyList<object?> args, object? context, string name, int position)
    {
        if (IsExactMatch(args))
        {
            return args;
        }

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

    /// <summary>One argument per parameter, each fitting without coercion: the common case, validated without allocating.</summary>
    private bool IsExactMatch(IReadOnlyList<object?> args)
    {
        if (args.Count != _params.Count)
        {
            return false;
        }

        for (var i = 0; i < args.Count; i++)
        {
            var p = _params[i];
            var a = args[i];
            if (p.Variadic || p.Sub is not null || (p.Types == "a" && a is not null and not JList) || !Fits(p, a))
            {
                return false;
            }
        }

        return true;
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
}
