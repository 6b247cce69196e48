using FieldOps.Jsonata.Runtime;

namespace FieldOps.Jsonata.Parsing;

/// <summary>Post-parse rewrites: paths, predicates/stages, group-by, sort steps, focus/index bindings, tail calls.</summary>
internal static partial class AstProcessor
{
    public static Node Process(Node expr)
    {
        Node result;
        switch (expr.Type)
        {
            case NodeType.Binary:
                result = ProcessBinary(expr);
                break;
            case NodeType.Sort:
                result = Process(expr.Lhs!);
                if (result.Type != NodeType.Path)
                {
                    result = new Node(NodeType.Path, result.Position) { Steps = [result] };
                }

                var sortStep = new Node(NodeType.Sort, expr.Position, "^") { Terms = [] };
                foreach (var (e, d) in expr.Terms!)
                {
                    sortStep.Terms.Add((Process(e), d));
                }

                result.Steps!.Add(sortStep);
                foreach (var (e, _) in sortStep.Terms)
                {
                    PushAncestry(sortStep, e);
                }

                ResolveAncestry(result);
                break;
            case NodeType.Bind:
                result = expr;
                expr.Rhs = Process(expr.Rhs!);
                PushAncestry(result, expr.Rhs);
                break;
            case NodeType.Apply:
                result = new Node(NodeType.Apply, expr.Position, "~>") { Lhs = Process(expr.Lhs!), Rhs = Process(expr.Rhs!) };
                PushAncestry(result, result.Lhs);
                PushAncestry(result, result.Rhs);
                break;
            case NodeType.Negate:
                result = expr;
                expr.Expr = Process(expr.Expr!);
                if (expr.Expr.Type == NodeType.Number)
                {
                    result = expr.Expr;
                    result.Literal = Num.Negate(result.Literal!);
                }
                else
                {
                    PushAncestry(result, expr.Expr);
                }

                break;
            case NodeType.ArrayCtor:
                result = expr;
                for (var i = 0; i < expr.Expressions!.Count; i++)
                {
                    expr.Expressions[i] = Process(expr.Expressions[i]);
                    PushAncestry(result, expr.Expressions[i]);
                }

                break;
            case NodeType.ObjectCtor:
                result = expr;
                ProcessPairs(expr.Pairs!);
                foreach (var (k, v) in expr.Pairs!)
                {
                    PushAncestry(result, k);
                    PushAncestry(result, v);
                }

                break;
            case NodeType.Function:
            case NodeType.Partial:
                result = expr;
                expr.Procedure = Process(expr.Procedure!);
                for (var i = 0; i < expr.Arguments!.Count; i++)
                {
                    expr.Arguments[i] = Process(expr.Arguments[i]);
                    PushAncestry(result, expr.Arguments[i]);
                }

                break;
            case NodeType.Lambda:
                result = expr;
                expr.Body = TailCall(Process(expr.Body!));
                break;
            case NodeType.Condition:
                result = expr;
                expr.Expr = Process(expr.Expr!);
                expr.Then = Process(expr.Then!);
                PushAncestry(result, expr.Expr);
                PushAncestry(result, expr.Then);
                if (expr.Else is not null)
                {
                    expr.Else = Process(expr.Else);
                    PushAncestry(result, expr.Else);
                }

                break;
            case NodeType.Transform:
                result = expr;
                expr.Expr = Process(expr.Expr!);
                expr.Update = Process(expr.Update!);
                if (expr.Delete is not null)
                {
                    expr.Delete = Process(expr.Delete);
                }

                break;
            case NodeType.Block:
                result = expr;
                for (var i = 0; i < expr.Expressions!.Count; i++)
                {
                    var e = Process(expr.Expressions[i]);
                    expr.Expressions[i] = e;
                    PushAncestry(result, e);
                    if (e.ConsArray || (e.Type == NodeType.Path && e.Steps![0].ConsArray))
                    {
                        expr.ConsArray = true;
                    }
                }

                break;
            case NodeType.Name:
                result = new Node(NodeType.Path, expr.Position) { Steps = [expr] };
                if (expr.KeepArray)
                {
                    result.KeepSingletonArray = true;
                }

                break;
            case NodeType.Parent:
                result = expr;
                expr.Label = "!" + NextLabel();
                expr.Level = 1;
                break;
            default:
                result = expr;
                break;
        }

        if (expr.KeepArray)
        {
            result.KeepArray = true;
        }

        return result;
    }

    private static int _labelCounter;

    private static string NextLabel() => Interlocked.Increment(ref _labelCounter).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void ProcessPairs(List<(Node Key, Node Value)> pairs)
    {
        for (var i = 0; i < pairs.Count; i++)
        {
            pairs[i] = (Process(pairs[i].Key), Process(pairs[i].Value));
        }
    }

    private static Node TailCall(Node expr)
    {
        switch (expr.Type)
        {
            case NodeType.Function when expr.Predicates is null:
                return new Node(NodeType.Lambda, expr.Position, "function") { Thunk = true, Params = [], Body = expr };
            case NodeType.Condition:
                expr.Then = TailCall(expr.Then!);
                if (expr.Else is not null)
                {
                    expr.Else = TailCall(expr.Else);
                }

                return expr;
            case NodeType.Block when expr.Expressions!.Count > 0:
                expr.Expressions[^1] = TailCall(expr.Expressions[^1]);
                return expr;
            default:
                return expr;
        }
    }
}
