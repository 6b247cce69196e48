using System.Collections.Frozen;
using System.Text.RegularExpressions;
using FieldOps.Jsonata.Runtime;

namespace FieldOps.Jsonata.Parsing;

/// <summary>Pratt parser producing the raw AST (see <see cref="AstProcessor"/> for the rewrites).</summary>
internal sealed partial class Parser
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
}
