using FieldOps.Jsonata.Runtime;

namespace FieldOps.Jsonata.Parsing;

internal static partial class AstProcessor
{
    private static Node ProcessBinary(Node expr)
    {
        switch (expr.Value)
        {
            case ".":
                return ProcessPath(expr);
            case "[":
                return ProcessPredicate(expr);
            case "{":
                var grouped = Process(expr.Lhs!);
                if (grouped.Group is not null)
                {
                    throw Errors.Create("S0210", expr.Position);
                }

                ProcessPairs(expr.Pairs!);
                grouped.Group = new Node(NodeType.ObjectCtor, expr.Position, "{") { Pairs = expr.Pairs };
                foreach (var (k, v) in expr.Pairs!)
                {
                    PushAncestry(grouped, k);
                    PushAncestry(grouped, v);
                }

                return grouped;
            case "@":
                var focused = Process(expr.Lhs!);
                var fstep = focused;
                if (focused.Type == NodeType.Path)
                {
                    fstep = focused.Steps![^1];
                }

                if (fstep.Stages is not null || fstep.Predicates is not null)
                {
                    throw Errors.Create("S0215", expr.Position);
                }

                if (fstep.Type == NodeType.Sort)
                {
                    throw Errors.Create("S0216", expr.Position);
                }

                if (expr.KeepArray)
                {
                    fstep.KeepArray = true;
                }

                fstep.Focus = expr.Rhs!.Value;
                fstep.Tuple = true;
                return focused;
            case "#":
                var indexed = Process(expr.Lhs!);
                Node istep;
                if (indexed.Type == NodeType.Path)
                {
                    istep = indexed.Steps![^1];
                }
                else
                {
                    istep = indexed;
                    indexed = new Node(NodeType.Path, indexed.Position) { Steps = [indexed] };
                    if (istep.Predicates is not null)
                    {
                        istep.Stages = istep.Predicates;
                        istep.Predicates = null;
                    }
                }

                if (istep.Stages is null)
                {
                    istep.Index = expr.Rhs!.Value;
                }
                else
                {
                    istep.Stages.Add(new Node(NodeType.Operator, expr.Position, "#") { Index = expr.Rhs!.Value });
                }

                istep.Tuple = true;
                return indexed;
            default:
                var bin = new Node(NodeType.Binary, expr.Position, expr.Value) { Lhs = Process(expr.Lhs!), Rhs = Process(expr.Rhs!), KeepArray = expr.KeepArray };
                PushAncestry(bin, bin.Lhs);
                PushAncestry(bin, bin.Rhs);
                return bin;
        }
    }

    private static Node ProcessPath(Node expr)
    {
        var lstep = Process(expr.Lhs!);
        Node result;
        if (lstep.Type == NodeType.Path)
        {
            result = lstep;
        }
        else
        {
            result = new Node(NodeType.Path, lstep.Position) { Steps = [lstep] };
        }

        if (lstep.Type == NodeType.Parent)
        {
            result.SeekingParent = [lstep];
        }

        var rest = Process(expr.Rhs!);
        if (rest.Type == NodeType.Path)
        {
            result.Steps!.AddRange(rest.Steps!);
        }
        else
        {
            if (rest.Predicates is not null)
            {
                rest.Stages = rest.Predicates;
                rest.Predicates = null;
            }

            result.Steps!.Add(rest);
        }

        foreach (var step in result.Steps!)
        {
            if (step.Type is NodeType.Number or NodeType.Value)
            {
                throw Errors.Create("S0213", step.Position, step.Value, value: step.Value);
            }

            if (step.Type == NodeType.String)
            {
                step.Type = NodeType.Name;
            }

            if (step.KeepArray)
            {
                result.KeepSingletonArray = true;
            }
        }

        if (result.Steps[0].Type == NodeType.ArrayCtor)
        {
            result.Steps[0].ConsArray = true;
        }

        if (result.Steps[^1].Type == NodeType.ArrayCtor)
        {
            result.Steps[^1].ConsArray = true;
        }

        ResolveAncestry(result);
        return result;
    }

    private static Node ProcessPredicate(Node expr)
    {
        var result = Process(expr.Lhs!);
        var step = result;
        var stages = false;
        if (result.Type == NodeType.Path)
        {
            step = result.Steps![^1];
            stages = true;
        }

        if (step.Group is not null)
        {
            throw Errors.Create("S0209", expr.Position);
        }

        var predicate = Process(expr.Rhs!);
        if (predicate.SeekingParent is not null)
        {
            foreach (var slot in predicate.SeekingParent)
            {
                if (slot.Level == 1)
                {
                    SeekParent(step, slot);
                }
                else
                {
                    slot.Level--;
                }
            }

            PushAncestry(step, predicate);
        }

        var filter = new Node(NodeType.Filter, expr.Position, "[") { Expr = predicate };
        if (stages)
        {
            step.Stages ??= [];
            step.Stages.Add(filter);
        }
        else
        {
            step.Predicates ??= [];
            step.Predicates.Add(filter);
        }

        return result;
    }
}
