using FieldOps.Jsonata.Parsing;

namespace FieldOps.Jsonata.Runtime;

internal sealed partial class Evaluator
{
    private JMap EvaluateGroup(Node group, object? input, Frame env)
    {
        if (input is not JList && group.Pairs!.Count <= 32)
        {
            return EvaluateObjectForSingleItem(group.Pairs, input, env);
        }

        var result = new JMap();
        var groups = new Dictionary<string, (object? Data, int ExprIndex)>(StringComparer.Ordinal);
        var order = new List<string>();
        var reduce = input is JList { TupleStream: true };
        var list = input as JList ?? JList.Sequence(input);
        if (list.Count == 0)
        {
            list = [null];
        }

        var pairs = group.Pairs!;
        foreach (var item in list)
        {
            var tuple = reduce ? item as JMap : null;
            var ienv = tuple is null ? env : FrameFromTuple(env, tuple);
            var ctx = reduce ? tuple?.GetValueOrDefault("@") : item;
            for (var p = 0; p < pairs.Count; p++)
            {
                var key = Evaluate(pairs[p].Key, ctx, ienv);
                if (key is null)
                {
                    continue;
                }

                if (key is not string k)
                {
                    throw Errors.Create("T1003", pairs[p].Key.Position, value: key);
                }

                if (groups.TryGetValue(k, out var entry))
                {
                    if (entry.ExprIndex != p)
                    {
                        throw Errors.Create("D1009", pairs[p].Key.Position, value: k);
                    }

                    groups[k] = (Builtins.Append(entry.Data, item), p);
                }
                else
                {
                    groups[k] = (item, p);
                    order.Add(k);
                }
            }
        }

        foreach (var k in order)
        {
            var (data, idx) = groups[k];
            var context = data;
            var genv = env;
            if (reduce)
            {
                var tuple = ReduceTuples(data);
                context = tuple.GetValueOrDefault("@");
                tuple.Remove("@");
                genv = FrameFromTuple(env, tuple);
            }

            var value = Evaluate(pairs[idx].Value, context, genv);
            if (value is not null)
            {
                result[k] = value;
            }
        }

        return result;
    }

    /// <summary>Fast path of an object constructor over one (non-array) context item: no grouping needed.</summary>
    private JMap EvaluateObjectForSingleItem(List<(Node Key, Node Value)> pairs, object? item, Frame env)
    {
        var keys = new string?[pairs.Count];
        for (var p = 0; p < pairs.Count; p++)
        {
            var key = Evaluate(pairs[p].Key, item, env);
            if (key is null)
            {
                continue;
            }

            if (key is not string k)
            {
                throw Errors.Create("T1003", pairs[p].Key.Position, value: key);
            }

            if (Array.IndexOf(keys, k, 0, p) >= 0)
            {
                throw Errors.Create("D1009", pairs[p].Key.Position, value: k);
            }

            keys[p] = k;
        }

        var result = new JMap(pairs.Count);
        for (var p = 0; p < pairs.Count; p++)
        {
            if (keys[p] is { } k && Evaluate(pairs[p].Value, item, env) is { } value)
            {
                result[k] = value;
            }
        }

        return result;
    }

    private static JMap ReduceTuples(object? data)
    {
        if (data is not JList l)
        {
            return ((JMap)data!).CloneMap();
        }

        var result = new JMap();
        if (l.Count == 0)
        {
            return result;
        }

        var first = (JMap)l[0]!;
        foreach (var kv in first)
        {
            result[kv.Key] = kv.Value;
        }

        for (var i = 1; i < l.Count; i++)
        {
            foreach (var kv in (JMap)l[i]!)
            {
                result[kv.Key] = Builtins.Append(result.GetValueOrDefault(kv.Key), kv.Value);
            }
        }

        return result;
    }

    private JList EvaluateSort(Node node, object? input, Frame env)
    {
        var list = input as JList ?? JList.Sequence(input);
        var isTuple = list.TupleStream;
        var terms = node.Terms!;
        var keys = new object?[list.Count][];
        for (var i = 0; i < list.Count; i++)
        {
            var ctx = list[i];
            var senv = env;
            if (isTuple)
            {
                senv = FrameFromTuple(env, (JMap)ctx!);
                ctx = ((JMap)list[i]!).GetValueOrDefault("@");
            }

            keys[i] = new object?[terms.Count];
            for (var t = 0; t < terms.Count; t++)
            {
                keys[i][t] = Evaluate(terms[t].Expr, ctx, senv);
            }
        }

        var idx = Enumerable.Range(0, list.Count).ToArray();
        Builtins.StableSort(idx, (a, b) =>
        {
            for (var t = 0; t < terms.Count; t++)
            {
                var aa = keys[a][t];
                var bb = keys[b][t];
                int comp;
                if (aa is null)
                {
                    comp = bb is null ? 0 : 1;
                }
                else if (bb is null)
                {
                    comp = -1;
                }
                else
                {
                    var aok = aa is string || Num.IsNumber(aa);
                    var bok = bb is string || Num.IsNumber(bb);
                    if (!aok || !bok)
                    {
                        throw Errors.Create("T2008", node.Position, value: aok ? bb : aa);
                    }

                    if (aa is string sa && bb is string sb)
                    {
                        comp = Math.Sign(string.CompareOrdinal(sa, sb));
                    }
                    else if (Num.IsNumber(aa) && Num.IsNumber(bb))
                    {
                        comp = Num.Compare(aa, bb);
                    }
                    else
                    {
                        throw Errors.Create("T2007", node.Position, value: aa, value2: bb);
                    }

                    if (terms[t].Descending)
                    {
                        comp = -comp;
                    }
                }

                if (comp != 0)
                {
                    return comp;
                }
            }

            return 0;
        });
        var result = new JList(list.Count) { IsSequence = true, TupleStream = isTuple };
        foreach (var i in idx)
        {
            result.Add(list[i]);
        }

        return result;
    }
}
