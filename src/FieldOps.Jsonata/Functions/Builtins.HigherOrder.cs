namespace FieldOps.Jsonata.Runtime;

internal static partial class Builtins
{
    private static void RegisterHigherOrder(Action<string, string, NativeImpl> add)
    {
        add("map", "<af>", (ev, a, _) =>
        {
            if (Arg(a, 0) is not JList l)
            {
                return null;
            }

            var f = (JFunction)Arg(a, 1)!;
            var r = JList.Sequence();
            for (var i = 0; i < l.Count; i++)
            {
                var res = ev.CallHof(f, l[i], Num.FromLong(i, ev.Mode), l);
                if (res is not null)
                {
                    r.Add(res);
                }
            }

            return r;
        });
        add("filter", "<af>", (ev, a, _) =>
        {
            if (Arg(a, 0) is not JList l)
            {
                return null;
            }

            var f = (JFunction)Arg(a, 1)!;
            var r = JList.Sequence();
            for (var i = 0; i < l.Count; i++)
            {
                if (ToBoolean(ev.CallHof(f, l[i], Num.FromLong(i, ev.Mode), l)) == true)
                {
                    r.Add(l[i]);
                }
            }

            return r;
        });
        add("single", "<af?>", (ev, a, _) =>
        {
            if (Arg(a, 0) is not JList l)
            {
                return null;
            }

            var f = Arg(a, 1) as JFunction;
            object? found = null;
            var hasFound = false;
            for (var i = 0; i < l.Count; i++)
            {
                if (f is null || ToBoolean(ev.CallHof(f, l[i], Num.FromLong(i, ev.Mode), l)) == true)
                {
                    if (hasFound)
                    {
                        throw Errors.Create("D3138");
                    }

                    found = l[i];
                    hasFound = true;
                }
            }

            return hasFound ? found : throw Errors.Create("D3139");
        });
        add("reduce", "<afj?:j>", (ev, a, _) =>
        {
            if (Arg(a, 0) is not JList l)
            {
                return null;
            }

            var f = (JFunction)Arg(a, 1)!;
            if (f.Arity < 2 && f is not NativeFn)
            {
                throw Errors.Create("D3050", index: 2);
            }

            var start = 0;
            object? acc;
            if (Arg(a, 2) is { } init)
            {
                acc = init;
            }
            else if (l.Count > 0)
            {
                acc = l[0];
                start = 1;
            }
            else
            {
                return null;
            }

            for (var i = start; i < l.Count; i++)
            {
                acc = ev.CallHof(f, acc, l[i], Num.FromLong(i, ev.Mode), l, 4);
            }

            return acc;
        });
    }
}
