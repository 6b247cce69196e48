using FieldOps.Jsonata.Parsing;

namespace FieldOps.Jsonata.Runtime;

internal sealed partial class Evaluator
{
    private object? EvaluatePath(Node expr, object? input, Frame env)
    {
        var steps = expr.Steps!;
        var start = 0;
        JList? inputSequence = null;
        if (input is not JList && TryEvaluateSingleItemSteps(steps, input, env, ref start, ref inputSequence, out var single))
        {
            return FinishPath(expr, single, false, null, env);
        }

        if (inputSequence is null)
        {
            if (input is JList l && steps[0].Type != NodeType.Variable)
            {
                inputSequence = l;
            }
            else
            {
                inputSequence = new JList(1) { IsSequence = true };
                inputSequence.Add(input);
            }
        }

        return EvaluateRemainingSteps(expr, steps, start, inputSequence, env);
    }

    /// <summary>
    /// Walks the leading steps while the context is a single non-array item (the common <c>a.b.c</c> case) without
    /// building one-item sequences. Returns true when the whole path was evaluated; otherwise <paramref name="start"/>
    /// and <paramref name="inputSequence"/> tell where the general algorithm continues.
    /// </summary>
    private bool TryEvaluateSingleItemSteps(List<Node> steps, object? current, Frame env, ref int start, ref JList? inputSequence, out object? result)
    {
        result = null;
        while (start < steps.Count)
        {
            var step = steps[start];
            if (step.Tuple || step.Type == NodeType.Sort || (start == 0 && step.ConsArray))
            {
                inputSequence = new JList(1) { IsSequence = true };
                inputSequence.Add(current);
                return false;
            }

            var res = Evaluate(step, current, env);
            if (step.Stages is not null)
            {
                foreach (var stage in step.Stages)
                {
                    res = EvaluateFilter(stage.Expr!, res, env);
                }
            }

            var last = start == steps.Count - 1;
            start++;
            if (res is null)
            {
                return true;
            }

            if (res is JList rl)
            {
                if (last && !rl.IsSequence)
                {
                    result = rl;
                    return true;
                }

                var seq = JList.Sequence();
                AddFlattened(seq, rl);
                if (last || seq.Count == 0)
                {
                    result = seq;
                    return true;
                }

                inputSequence = seq;
                return false;
            }

            current = res;
            if (last)
            {
                result = res;
                return true;
            }
        }

        return true;
    }

    private object? EvaluateRemainingSteps(Node expr, List<Node> steps, int start, JList inputSequence, Frame env)
    {
        object? resultSequence = null;
        var isTupleStream = false;
        JList? tuples = null;
        for (var i = start; i < steps.Count; i++)
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

        return FinishPath(expr, resultSequence, isTupleStream, tuples, env);
    }

    private object? FinishPath(Node expr, object? resultSequence, bool isTupleStream, JList? tuples, Frame env)
    {
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

            if (resultSequence is JList { IsSequence: true } rl)
            {
                // only result sequences are flagged: a plain array may belong to the (shared, read-only) input
                rl.KeepSingleton = true;
            }
            else if (resultSequence is not null and not JList)
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

        // Single pass without an intermediate list; a lone array result of the last step is returned as is.
        JList? seq = null;
        object? first = null;
        var count = 0;
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

            if (res is null)
            {
                continue;
            }

            count++;
            if (count == 1)
            {
                first = res;
                continue;
            }

            if (count == 2)
            {
                seq = JList.Sequence();
                AddFlattened(seq, first!);
            }

            AddFlattened(seq!, res);
        }

        if (count == 1)
        {
            if (lastStep && first is JList { IsSequence: false } only)
            {
                return only;
            }

            seq = JList.Sequence();
            AddFlattened(seq, first!);
        }

        return seq ?? JList.Sequence();
    }

    private static void AddFlattened(JList seq, object res)
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
}
