using FieldOps.Jsonata.Parsing;

namespace FieldOps.Jsonata.Runtime;

internal sealed partial class Evaluator
{
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
}
