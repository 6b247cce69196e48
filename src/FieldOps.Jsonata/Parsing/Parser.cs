using System.Collections.Frozen;
using System.Text.RegularExpressions;
using FieldOps.Jsonata.Runtime;

namespace FieldOps.Jsonata.Parsing;

/// <summary>Pratt parser producing the raw AST (see <see cref="AstProcessor"/> for the rewrites).</summary>
internal sealed class Parser
{
    private static readonly FrozenDictionary<string, int> InfixBp = new Dictionary<string, int>
    {
        ["."] = 75, ["["] = 80, ["{"] = 70, ["("] = 80, ["@"] = 80, ["#"] = 80, ["?"] = 20,
        ["+"] = 50, ["-"] = 50, ["*"] = 60, ["/"] = 60, ["%"] = 60, ["="] = 40, ["<"] = 40, [">"] = 40,
        ["^"] = 40, [":="] = 10, ["!="] = 40, ["<="] = 40, [">="] = 40, ["~>"] = 40, ["?:"] = 40, ["??"] = 40,
        ["and"] = 30, ["or"] = 25, ["in"] = 40, ["&"] = 50,
    }.ToFrozenDictionary();

    private readonly Lexer _lex;
    private Token _cur;

    private Parser(string source, NumberMode mode)
    {
        _lex = new Lexer(source, mode);
    }

    public static Node Parse(string source, NumberMode mode)
    {
        var p = new Parser(source, mode);
        p._cur = p._lex.Next();
        var expr = p.Expression(0);
        if (p._cur.Type != TokenType.End)
        {
            throw Errors.Create("S0201", p._cur.Position, p._cur.Value);
        }

        var ast = AstProcessor.Process(expr);
        if (ast.Type == NodeType.Parent || (ast.SeekingParent is not null && ast.SeekingParent.Exists(s => s.Level > 0)))
        {
            throw Errors.Create("S0217", ast.Position, ast.Type.ToString().ToLowerInvariant());
        }

        return ast;
    }

    private bool IsOp(string op) => _cur.Type == TokenType.Operator && _cur.Value == op;

    private void Advance(string? expected = null)
    {
        if (expected is not null && !IsOp(expected))
        {
            if (_cur.Type == TokenType.End)
            {
                throw Errors.Create("S0203", _cur.Position, value: expected);
            }

            throw Errors.Create("S0202", _cur.Position, _cur.Value, value: expected);
        }

        _cur = _lex.Next();
        if (_cur.Type == TokenType.Operator && _cur.Value is "!" or "~")
        {
            throw Errors.Create("S0204", _cur.Position, _cur.Value);
        }
    }

    private static int LeftBp(Token t) => t.Type == TokenType.Operator && InfixBp.TryGetValue(t.Value, out var bp) ? bp : 0;

    private Node Expression(int rbp)
    {
        var t = _cur;
        Advance();
        var left = Nud(t);
        while (rbp < LeftBp(_cur))
        {
            t = _cur;
            Advance();
            left = Led(t, left);
        }

        return left;
    }

    private Node Nud(Token t)
    {
        switch (t.Type)
        {
            case TokenType.End:
                throw Errors.Create("S0207", t.Position);
            case TokenType.Number:
                return new Node(NodeType.Number, t.Position, t.Value) { Literal = t.Literal };
            case TokenType.String:
                return new Node(NodeType.String, t.Position, t.Value) { Literal = t.Value };
            case TokenType.Value:
                return new Node(NodeType.Value, t.Position, t.Value) { Literal = t.Literal };
            case TokenType.Name:
                return new Node(NodeType.Name, t.Position, t.Value);
            case TokenType.Variable:
                return new Node(NodeType.Variable, t.Position, t.Value);
            case TokenType.Regex:
                return RegexNode(t);
        }

        switch (t.Value)
        {
            case "and" or "or" or "in":
                return new Node(NodeType.Name, t.Position, t.Value);
            case "-":
                var operand = Expression(70);
                if (operand.Type == NodeType.Number)
                {
                    operand.Literal = Num.Negate(operand.Literal!);
                    operand.Position = t.Position;
                    return operand;
                }

                return new Node(NodeType.Negate, t.Position, "-") { Expr = operand };
            case "*":
                return new Node(NodeType.Wildcard, t.Position, "*");
            case "**":
                return new Node(NodeType.Descendant, t.Position, "**");
            case "%":
                return new Node(NodeType.Parent, t.Position, "%");
            case "?":
                return new Node(NodeType.Placeholder, t.Position, "?");
            case "(":
                var block = new Node(NodeType.Block, t.Position, "(") { Expressions = [] };
                while (!IsOp(")"))
                {
                    block.Expressions.Add(Expression(0));
                    if (!IsOp(";"))
                    {
                        break;
                    }

                    Advance(";");
                }

                Advance(")");
                return block;
            case "[":
                var arr = new Node(NodeType.ArrayCtor, t.Position, "[") { Expressions = [] };
                if (!IsOp("]"))
                {
                    while (true)
                    {
                        var item = Expression(0);
                        if (IsOp(".."))
                        {
                            var range = new Node(NodeType.Binary, _cur.Position, "..") { Lhs = item };
                            Advance("..");
                            range.Rhs = Expression(0);
                            item = range;
                        }

                        arr.Expressions.Add(item);
                        if (!IsOp(","))
                        {
                            break;
                        }

                        Advance(",");
                    }
                }

                Advance("]");
                return arr;
            case "{":
                return new Node(NodeType.ObjectCtor, t.Position, "{") { Pairs = ParsePairs() };
            case "|":
                var tr = new Node(NodeType.Transform, t.Position, "|") { Expr = Expression(0) };
                Advance("|");
                tr.Update = Expression(0);
                if (IsOp(","))
                {
                    Advance(",");
                    tr.Delete = Expression(0);
                }

                Advance("|");
                return tr;
            default:
                throw Errors.Create("S0211", t.Position, t.Value);
        }
    }

    private List<(Node, Node)> ParsePairs()
    {
        var pairs = new List<(Node, Node)>();
        if (!IsOp("}"))
        {
            while (true)
            {
                var k = Expression(0);
                Advance(":");
                var v = Expression(0);
                pairs.Add((k, v));
                if (!IsOp(","))
                {
                    break;
                }

                Advance(",");
            }
        }

        Advance("}");
        return pairs;
    }

    private static Node RegexNode(Token t)
    {
        var flags = (string)t.Literal!;
        var opts = RegexOptions.None;
        if (flags.Contains('i', StringComparison.Ordinal))
        {
            opts |= RegexOptions.IgnoreCase;
        }

        if (flags.Contains('m', StringComparison.Ordinal))
        {
            opts |= RegexOptions.Multiline;
        }

        Regex re;
        try
        {
            re = new Regex(t.Value, opts, TimeSpan.FromSeconds(5));
        }
        catch (ArgumentException)
        {
            throw Errors.Create("S0302", t.Position, t.Value);
        }

        return new Node(NodeType.Regex, t.Position, t.Value) { Regex = re };
    }

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
