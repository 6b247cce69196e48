using FieldOps.Jsonata.Parsing;

namespace FieldOps.Jsonata.Runtime;

internal sealed partial class Evaluator
{
    private object? EvaluateBinary(Node node, object? input, Frame env)
    {
        var op = node.Value!;
        switch (op)
        {
            case "and":
                var la = Evaluate(node.Lhs!, input, env);
                if (Builtins.ToBoolean(la) != true)
                {
                    return Json.Bool(false);
                }

                return Json.Bool(Builtins.ToBoolean(Evaluate(node.Rhs!, input, env)) == true);
            case "or":
                var lo = Evaluate(node.Lhs!, input, env);
                if (Builtins.ToBoolean(lo) == true)
                {
                    return Json.Bool(true);
                }

                return Json.Bool(Builtins.ToBoolean(Evaluate(node.Rhs!, input, env)) == true);
            case "??":
                var lc = Evaluate(node.Lhs!, input, env);
                return lc ?? Evaluate(node.Rhs!, input, env);
            case "?:":
                var ld = Evaluate(node.Lhs!, input, env);
                return Builtins.ToBoolean(ld) == true ? ld : Evaluate(node.Rhs!, input, env);
        }

        var lhs = Evaluate(node.Lhs!, input, env);
        var rhs = Evaluate(node.Rhs!, input, env);
        switch (op)
        {
            case "+" or "-" or "*" or "/" or "%":
                return Arithmetic(node, op, lhs, rhs);
            case "=":
                return Json.Bool(lhs is not null && rhs is not null && Builtins.DeepEquals(lhs, rhs));
            case "!=":
                return Json.Bool(lhs is not null && rhs is not null && !Builtins.DeepEquals(lhs, rhs));
            case "<" or "<=" or ">" or ">=":
                return Compare(node, op, lhs, rhs);
            case "&":
                return Builtins.StringOf(lhs) + Builtins.StringOf(rhs);
            case "in":
                if (lhs is null || rhs is null)
                {
                    return Json.Bool(false);
                }

                var rl = rhs as JList ?? [rhs];
                foreach (var item in rl)
                {
                    if (item is not null && Builtins.StrictEquals(item, lhs))
                    {
                        return Json.Bool(true);
                    }
                }

                return Json.Bool(false);
            case "..":
                return Range(node, lhs, rhs);
            default:
                throw Errors.Create("S0204", node.Position, op);
        }
    }

    private static object? Arithmetic(Node node, string op, object? lhs, object? rhs)
    {
        if (lhs is not null && !Num.IsNumber(lhs))
        {
            throw Errors.Create("T2001", node.Position, op, value: lhs);
        }

        if (rhs is not null && !Num.IsNumber(rhs))
        {
            throw Errors.Create("T2002", node.Position, op, value: rhs);
        }

        if ((lhs is not null && !Num.IsFinite(lhs)) || (rhs is not null && !Num.IsFinite(rhs)))
        {
            throw Errors.Create("D1001", node.Position, op, value: Num.IsFinite(lhs!) ? rhs : lhs);
        }

        if (lhs is null || rhs is null)
        {
            return null;
        }

        var result = op switch
        {
            "+" => Num.Add(lhs, rhs),
            "-" => Num.Sub(lhs, rhs),
            "*" => Num.Mul(lhs, rhs),
            "/" => Num.Div(lhs, rhs),
            _ => Num.Mod(lhs, rhs),
        };
        return result;
    }

    private static object? Compare(Node node, string op, object? lhs, object? rhs)
    {
        var lok = lhs is null or string || Num.IsNumber(lhs);
        var rok = rhs is null or string || Num.IsNumber(rhs);
        if (!lok || !rok)
        {
            throw Errors.Create("T2010", node.Position, op, value: lok ? rhs : lhs);
        }

        if (lhs is null || rhs is null)
        {
            return null;
        }

        int c;
        if (lhs is string ls && rhs is string rs)
        {
            c = string.CompareOrdinal(ls, rs);
        }
        else if (Num.IsNumber(lhs) && Num.IsNumber(rhs))
        {
            c = Num.Compare(lhs, rhs);
        }
        else
        {
            throw Errors.Create("T2009", node.Position, op, value: lhs, value2: rhs);
        }

        return Json.Bool(op switch
        {
            "<" => c < 0,
            "<=" => c <= 0,
            ">" => c > 0,
            _ => c >= 0,
        });
    }

    private JList? Range(Node node, object? lhs, object? rhs)
    {
        if (lhs is not null && (!Num.IsNumber(lhs) || !Num.IsInteger(lhs)))
        {
            throw Errors.Create("T2003", node.Position, "..", value: lhs);
        }

        if (rhs is not null && (!Num.IsNumber(rhs) || !Num.IsInteger(rhs)))
        {
            throw Errors.Create("T2004", node.Position, "..", value: rhs);
        }

        if (lhs is null || rhs is null)
        {
            return null;
        }

        var from = Num.ToDouble(lhs);
        var to = Num.ToDouble(rhs);
        if (from > to)
        {
            return null;
        }

        var size = to - from + 1;
        if (size > 1e7)
        {
            throw Errors.Create("D2014", node.Position, "..", value: size);
        }

        var count = (int)size;
        var result = new JList(count);
        var start = (long)from;
        for (var i = 0; i < count; i++)
        {
            result.Add(Num.FromLong(start + i, Mode));
        }

        return result;
    }
}
