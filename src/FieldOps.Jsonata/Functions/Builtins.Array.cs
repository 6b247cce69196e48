namespace FieldOps.Jsonata.Runtime;

internal static partial class Builtins
{
    private static void RegisterArray(Action<string, string, NativeImpl> add)
    {
        add("append", "<xx:a>", (_, a, _) =>
        {
            var x = Arg(a, 0);
            var y = Arg(a, 1);
            if (y is null)
            {
                return x;
            }

            if (x is null)
            {
                return y;
            }

            var r = new JList();
            if (x is JList xl)
            {
                r.AddRange(xl);
            }
            else
            {
                r.Add(x);
            }

            if (y is JList yl)
            {
                r.AddRange(yl);
            }
            else
            {
                r.Add(y);
            }

            return r;
        });
        add("reverse", "<a:a>", (_, a, _) =>
        {
            if (Arg(a, 0) is not JList l)
            {
                return null;
            }

            var r = new JList(l);
            r.Reverse();
            return r;
        });
        add("shuffle", "<a:a>", (_, a, _) =>
        {
            if (Arg(a, 0) is not JList l)
            {
                return null;
            }

            var arr = l.ToArray();
            Random.Shared.Shuffle(arr);
            return new JList(arr);
        });
        add("distinct", "<x:x>", (_, a, _) =>
        {
            var v = Arg(a, 0);
            if (v is not JList l)
            {
                return v;
            }

            var r = new JList { IsSequence = l.IsSequence };
            foreach (var item in l)
            {
                if (!r.Exists(x => DeepEquals(x, item)))
                {
                    r.Add(item);
                }
            }

            return r;
        });
        add("zip", "<a+>", (_, a, _) =>
        {
            var r = new JList();
            if (a.Count == 0)
            {
                return r;
            }

            var lists = a.Select(x => x as JList ?? (x is null ? [] : [x])).ToList();
            var min = lists.Min(l => l.Count);
            for (var i = 0; i < min; i++)
            {
                var tuple = new JList();
                foreach (var l in lists)
                {
                    tuple.Add(l[i]);
                }

                r.Add(tuple);
            }

            return r;
        });
        add("sort", "<af?:a>", (ev, a, _) =>
        {
            if (Arg(a, 0) is not JList l)
            {
                return null;
            }

            if (l.Count <= 1)
            {
                return l;
            }

            var idx = Enumerable.Range(0, l.Count).ToArray();
            if (Arg(a, 1) is JFunction f)
            {
                StableSort(idx, (x, y) => ToBoolean(ev.Apply(f, [l[y], l[x]], null)) == true ? -1 : 0);
            }
            else
            {
                if (!l.TrueForAll(Num.IsNumber) && !l.TrueForAll(x => x is string))
                {
                    throw Errors.Create("D3070");
                }

                StableSort(idx, (x, y) => l[x] is string sx ? string.CompareOrdinal(sx, (string)l[y]!) : Num.Compare(l[x]!, l[y]!));
            }

            var r = new JList(l.Count);
            foreach (var i in idx)
            {
                r.Add(l[i]);
            }

            return r;
        });
    }
}
