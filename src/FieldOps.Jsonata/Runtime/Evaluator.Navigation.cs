namespace FieldOps.Jsonata.Runtime;

internal sealed partial class Evaluator
{
    private static object? Lookup(object? input, string key)
    {
        if (input is JList l)
        {
            var result = JList.Sequence();
            foreach (var item in l)
            {
                var res = Lookup(item, key);
                if (res is JList rl)
                {
                    result.AddRange(rl);
                }
                else if (res is not null)
                {
                    result.Add(res);
                }
            }

            return result;
        }

        if (input is JMap m && m.TryGetValue(key, out var v))
        {
            return v;
        }

        return null;
    }

    private static JList Wildcard(object? input)
    {
        var results = JList.Sequence();
        if (input is JList { OuterWrapper: true, Count: > 0 } ow)
        {
            input = ow[0];
        }

        if (input is JList il)
        {
            foreach (var v in il)
            {
                if (v is JList vl)
                {
                    Builtins.FlattenInto(vl, results);
                }
                else if (v is not null)
                {
                    results.Add(v);
                }
            }
        }
        else if (input is JMap m)
        {
            foreach (var kv in m)
            {
                if (kv.Value is JList vl)
                {
                    Builtins.FlattenInto(vl, results);
                }
                else if (kv.Value is not null)
                {
                    results.Add(kv.Value);
                }
            }
        }

        return results;
    }

    private static object? Descendants(object? input)
    {
        if (input is null)
        {
            return null;
        }

        var seq = JList.Sequence();
        RecurseDescendants(input, seq);
        return seq.Count == 1 ? seq[0] : seq;
    }

    private static void RecurseDescendants(object? input, JList results)
    {
        if (input is JList l)
        {
            foreach (var item in l)
            {
                RecurseDescendants(item, results);
            }

            return;
        }

        results.Add(input);
        if (input is JMap m)
        {
            foreach (var kv in m)
            {
                RecurseDescendants(kv.Value, results);
            }
        }
    }
}
