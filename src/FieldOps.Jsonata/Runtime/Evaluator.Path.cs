using FieldOps.Jsonata.Parsing;

namespace FieldOps.Jsonata.Runtime;

internal sealed partial class Evaluator
{
    private object? EvaluatePath(Node expr, object? input, Frame env)
    {
        JList inputSequence;
        if (input is JList l && expr.Steps![0].Type != NodeType.Variable)
        {
            inputSequence = l;
        }
        else
        {
            inputSequence = new JList(1) { IsSequence = true };
            inputSequence.Add(input);
        }

        object? resultSequence = null;
        var isTupleStream = false;
        JList? tuples = null;
        var steps = expr.Steps!;
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            if (step.Tuple)
            {
                isTupleStream = true;
            }

            if (i == 0 && step.ConsArray)
            {
                resultSequence = Evaluate(step, inputSequence, env);
            }
            else if (isTupleStream)
            {
                tuples = EvaluateTupleStep(step, inputSequence, tuples, env);
            }
            else
            {
                resultSequence = EvaluateStep(step, inputSequence, env, i == steps.Count - 1);
            }

            if (!isTupleStream && (resultSequence is null || resultSequence is JList { Count: 0 }))
            {
                break;
            }

            if (step.Focus is null)
            {
                inputSequence = resultSequence as JList ?? JList.Sequence(resultSequence);
            }
        }

        if (isTupleStream && expr.Tuple)
        {
            resultSequence = tuples;
        }
        else if (isTupleStream)
        {
            var rs = JList.Sequence();
            if (tuples is not null)
            {
                foreach (var t in tuples)
                {
                    rs.Add(((JMap)t!).GetValueOrDefault("@"));
                }
            }

            resultSequence = rs;
        }

        if (expr.KeepSingletonArray)
        {
            if (resultSequence is JList { Cons: true, IsSequence: false } cl)
            {
                resultSequence = JList.Sequence(cl);
            }

            if (resultSequence is JList rl)
            {
                rl.KeepSingleton = true;
            }
            else if (resultSequence is not null)
            {
                var s = JList.Sequence(resultSequence);
                s.KeepSingleton = true;
                resultSequence = s;
            }
        }

        if (expr.Group is not null)
        {
            resultSequence = EvaluateGroup(expr.Group, isTupleStream ? tuples : resultSequence, env);
        }

        return resultSequence;
    }

    private JList EvaluateStep(Node step, JList input, Frame env, bool lastStep)
    {
        if (step.Type == NodeType.Sort)
        {
            object? sorted = EvaluateSort(step, input, env);
            if (step.Stages is not null)
            {
                sorted = EvaluateStages(step.Stages, sorted, env);
            }

            return sorted as JList ?? JList.Sequence(sorted);
        }

        var result = new JList(input.Count);
        foreach (var item in input)
        {
            var res = Evaluate(step, item, env);
            if (step.Stages is not null)
            {
                foreach (var stage in step.Stages)
                {
                    res = EvaluateFilter(stage.Expr!, res, env);
                }
            }

            if (res is not null)
            {
                result.Add(res);
            }
        }

        if (lastStep && result.Count == 1 && result[0] is JList { IsSequence: false } only)
        {
            return only;
        }

        var seq = JList.Sequence();
        foreach (var res in result)
        {
            if (res is JList rl && !rl.Cons)
            {
                seq.AddRange(rl);
            }
            else
            {
                seq.Add(res);
            }
        }

        return seq;
    }

    private object? EvaluateStages(List<Node> stages, object? input, Frame env)
    {
        var result = input;
        foreach (var stage in stages)
        {
            if (stage.Type == NodeType.Filter)
            {
                result = EvaluateFilter(stage.Expr!, result, env);
            }
            else if (result is JList tl)
            {
                for (var i = 0; i < tl.Count; i++)
                {
                    ((JMap)tl[i]!)[stage.Index!] = Num.FromLong(i, Mode);
                }
            }
        }

        return result;
    }

    private static Frame FrameFromTuple(Frame env, JMap tuple)
    {
        var f = new Frame(env);
        foreach (var kv in tuple)
        {
            if (kv.Key != "@")
            {
                f.Bind(kv.Key, kv.Value);
            }
        }

        return f;
    }

    private JList EvaluateTupleStep(Node step, JList input, JList? tuples, Frame env)
    {
        JList result;
        if (step.Type == NodeType.Sort)
        {
            if (tuples is not null)
            {
                result = EvaluateSort(step, tuples, env);
            }
            else
            {
                var sorted = EvaluateSort(step, input, env);
                result = new JList { IsSequence = true, TupleStream = true };
                for (var i = 0; i < sorted.Count; i++)
                {
                    var t = new JMap { IsTuple = true };
                    t["@"] = sorted[i];
                    if (step.Index is not null)
                    {
                        t[step.Index] = Num.FromLong(i, Mode);
                    }

                    result.Add(t);
                }
            }

            if (step.Stages is not null)
            {
                result = (JList)EvaluateStages(step.Stages, result, env)!;
            }

            return result;
        }

        result = new JList { IsSequence = true, TupleStream = true };
        if (tuples is null)
        {
            tuples = new JList(input.Count);
            foreach (var item in input)
            {
                var t = new JMap { IsTuple = true };
                t["@"] = item;
                tuples.Add(t);
            }
        }

        foreach (var tupleObj in tuples)
        {
            var tuple = (JMap)tupleObj!;
            var stepEnv = FrameFromTuple(env, tuple);
            var res = Evaluate(step, tuple.GetValueOrDefault("@"), stepEnv);
            if (res is null)
            {
                continue;
            }

            var list = res as JList ?? [res];
            for (var b = 0; b < list.Count; b++)
            {
                var nt = tuple.CloneMap();
                if (res is JList { TupleStream: true })
                {
                    foreach (var kv in (JMap)list[b]!)
                    {
                        nt[kv.Key] = kv.Value;
                    }
                }
                else
                {
                    if (step.Focus is not null)
                    {
                        nt[step.Focus] = list[b];
                        nt["@"] = tuple.GetValueOrDefault("@");
                    }
                    else
                    {
                        nt["@"] = list[b];
                    }

                    if (step.Index is not null)
                    {
                        nt[step.Index] = Num.FromLong(b, Mode);
                    }

                    if (step.Ancestor is not null)
                    {
                        nt[step.Ancestor.Label!] = tuple.GetValueOrDefault("@");
                    }
                }

                result.Add(nt);
            }
        }

        if (step.Stages is not null)
        {
            result = (JList)EvaluateStages(step.Stages, result, env)!;
        }

        return result;
    }

    private JList EvaluateFilter(Node predicate, object? input, Frame env)
    {
        var results = JList.Sequence();
        var tupleStream = input is JList { TupleStream: true };
        if (tupleStream)
        {
            results.TupleStream = true;
        }

        var list = input as JList ?? JList.Sequence(input);
        if (predicate.Type == NodeType.Number)
        {
            var index = (int)Math.Floor(Num.ToDouble(predicate.Literal!));
            if (index < 0)
            {
                index = list.Count + index;
            }

            if (index >= 0 && index < list.Count)
            {
                var item = list[index];
                if (item is JList il)
                {
                    return il;
                }

                results.Add(item);
            }

            return results;
        }

        for (var index = 0; index < list.Count; index++)
        {
            var item = list[index];
            var context = item;
            var fenv = env;
            if (tupleStream)
            {
                var t = (JMap)item!;
                context = t.GetValueOrDefault("@");
                fenv = FrameFromTuple(env, t);
            }

            var res = Evaluate(predicate, context, fenv);
            if (Num.IsNumber(res))
            {
                res = new JList { res };
            }

            if (res is JList rl && rl.Count > 0 && rl.TrueForAll(Num.IsNumber))
            {
                foreach (var n in rl)
                {
                    var ii = (int)Math.Floor(Num.ToDouble(n!));
                    if (ii < 0)
                    {
                        ii = list.Count + ii;
                    }

                    if (ii == index)
                    {
                        results.Add(item);
                    }
                }
            }
            else if (Builtins.ToBoolean(res) == true)
            {
                results.Add(item);
            }
        }

        return results;
    }

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
