namespace FieldOps.Jsonata.Runtime;

internal static partial class Builtins
{
    private static void RegisterObject(Action<string, string, NativeImpl> add)
    {
        add("keys", "<x-:a<s>>", (_, a, _) =>
        {
            var v = Arg(a, 0);
            var r = JList.Sequence();
            if (v is JMap m)
            {
                r.AddRange(m.Keys);
            }
            else if (v is JList l)
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var item in l)
                {
                    if (item is JMap im)
                    {
                        foreach (var k in im.Keys)
                        {
                            if (seen.Add(k))
                            {
                                r.Add(k);
                            }
                        }
                    }
                }
            }

            return r;
        });
        add("lookup", "<x-s:x>", (_, a, _) => Arg(a, 1) is string key ? LookupKey(Arg(a, 0), key) : null);
        add("spread", "<x-:a<o>>", (_, a, _) => Spread(Arg(a, 0)));
        add("merge", "<a<o>:o>", (_, a, _) =>
        {
            if (Arg(a, 0) is not JList l)
            {
                return null;
            }

            var r = new JMap();
            foreach (var m in l.OfType<JMap>())
            {
                foreach (var kv in m)
                {
                    r[kv.Key] = kv.Value;
                }
            }

            return r;
        });
        add("each", "<o-f:a>", (ev, a, _) =>
        {
            if (Arg(a, 0) is not JMap m)
            {
                return null;
            }

            var f = (JFunction)Arg(a, 1)!;
            var r = JList.Sequence();
            foreach (var kv in m)
            {
                var res = ev.CallHof(f, kv.Value, kv.Key, m);
                if (res is not null)
                {
                    r.Add(res);
                }
            }

            return r;
        });
        add("sift", "<o-f?:o>", (ev, a, _) =>
        {
            if (Arg(a, 0) is not JMap m)
            {
                return null;
            }

            var f = (JFunction)Arg(a, 1)!;
            var r = new JMap();
            foreach (var kv in m)
            {
                if (ToBoolean(ev.CallHof(f, kv.Value, kv.Key, m)) == true)
                {
                    r[kv.Key] = kv.Value;
                }
            }

            return r.Count == 0 ? null : r;
        });
        add("error", "<s?:x>", (_, a, _) => throw Errors.Create("D3137", value: Arg(a, 0) ?? "$error() function evaluated"));
        add("assert", "<bs?:x>", (_, a, _) =>
        {
            if (Arg(a, 0) is not bool b)
            {
                throw Errors.Create("T0410", token: "assert", index: 1);
            }

            if (!b)
            {
                throw Errors.Create("D3141", value: Arg(a, 1) ?? "$assert() statement failed");
            }

            return null;
        });
        add("type", "<x:s>", (_, a, _) => Arg(a, 0) switch
        {
            null => null,
            JNull => "null",
            double or decimal => "number",
            string => "string",
            bool => "boolean",
            JList => "array",
            JFunction => "function",
            _ => "object",
        });
        add("clone", "<(oa)-:o>", (_, a, _) => DeepClone(Arg(a, 0)));
    }

    private static object? LookupKey(object? v, string key)
    {
        if (v is JList l)
        {
            var r = JList.Sequence();
            foreach (var item in l)
            {
                var res = LookupKey(item, key);
                if (res is JList rl)
                {
                    r.AddRange(rl);
                }
                else if (res is not null)
                {
                    r.Add(res);
                }
            }

            return r;
        }

        return v is JMap m && m.TryGetValue(key, out var x) ? x : null;
    }

    private static object? Spread(object? v)
    {
        if (v is JList l)
        {
            var r = JList.Sequence();
            foreach (var item in l)
            {
                var s = Spread(item);
                if (s is JList sl)
                {
                    r.AddRange(sl);
                }
                else if (s is not null)
                {
                    r.Add(s);
                }
            }

            return r;
        }

        if (v is JMap m)
        {
            var r = JList.Sequence();
            foreach (var kv in m)
            {
                r.Add(new JMap { [kv.Key] = kv.Value });
            }

            return r;
        }

        return v;
    }
}
