using FieldOps.Jsonata.Runtime;

namespace FieldOps.Jsonata.Parsing;

internal sealed partial class Parser
{
    private Node Led(Token t, Node left)
    {
        var op = t.Value;
        switch (op)
        {
            case "[":
                if (IsOp("]"))
                {
                    var step = left;
                    while (step.Type == NodeType.Binary && step.Value == "[")
                    {
                        step = step.Lhs!;
                    }

                    step.KeepArray = true;
                    Advance("]");
                    return left;
                }

                var pred = new Node(NodeType.Binary, t.Position, "[") { Lhs = left, Rhs = Expression(0) };
                Advance("]");
                return pred;
            case "(":
                return Call(t, left);
            case "{":
                return new Node(NodeType.Binary, t.Position, "{") { Lhs = left, Pairs = ParsePairs() };
            case "^":
                Advance("(");
                var terms = new List<(Node, bool)>();
                while (true)
                {
                    var desc = false;
                    if (IsOp("<"))
                    {
                        Advance();
                    }
                    else if (IsOp(">"))
                    {
                        desc = true;
                        Advance();
                    }

                    terms.Add((Expression(0), desc));
                    if (!IsOp(","))
                    {
                        break;
                    }

                    Advance(",");
                }

                Advance(")");
                return new Node(NodeType.Sort, t.Position, "^") { Lhs = left, Terms = terms };
            case ":=":
                if (left.Type != NodeType.Variable)
                {
                    throw Errors.Create("S0212", left.Position, left.Value);
                }

                return new Node(NodeType.Bind, t.Position, ":=") { Lhs = left, Rhs = Expression(InfixBp[":="] - 1) };
            case "?":
                var cond = new Node(NodeType.Condition, t.Position, "?") { Expr = left, Then = Expression(0) };
                if (IsOp(":"))
                {
                    Advance(":");
                    cond.Else = Expression(0);
                }

                return cond;
            case "~>":
                return new Node(NodeType.Apply, t.Position, "~>") { Lhs = left, Rhs = Expression(InfixBp[op]) };
            case "@" or "#":
                var rhs = Expression(InfixBp[op]);
                if (rhs.Type != NodeType.Variable)
                {
                    throw Errors.Create("S0214", rhs.Position, op);
                }

                return new Node(NodeType.Binary, t.Position, op) { Lhs = left, Rhs = rhs };
            default:
                return new Node(NodeType.Binary, t.Position, op) { Lhs = left, Rhs = Expression(InfixBp[op]) };
        }
    }

    private Node Call(Token t, Node left)
    {
        var args = new List<Node>();
        var partial = false;
        if (!IsOp(")"))
        {
            while (true)
            {
                var a = Expression(0);
                partial |= a.Type == NodeType.Placeholder;
                args.Add(a);
                if (!IsOp(","))
                {
                    break;
                }

                Advance(",");
            }
        }

        Advance(")");
        if (left.Type == NodeType.Name && left.Value is "function" or "λ")
        {
            var ps = new List<string>();
            foreach (var a in args)
            {
                if (a.Type != NodeType.Variable)
                {
                    throw Errors.Create("S0208", a.Position, a.Value, value: a.Value);
                }

                ps.Add(a.Value!);
            }

            var lambda = new Node(NodeType.Lambda, t.Position, "function") { Params = ps };
            if (IsOp("<"))
            {
                var sig = _lex.ReadSignature(_cur.Position);
                lambda.Signature = Signature.Parse(sig, _cur.Position);
                _cur = _lex.Next();
            }

            Advance("{");
            lambda.Body = Expression(0);
            Advance("}");
            return lambda;
        }

        return new Node(partial ? NodeType.Partial : NodeType.Function, t.Position, "(") { Procedure = left, Arguments = args };
    }
}
