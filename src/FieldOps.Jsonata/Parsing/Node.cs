using System.Text.RegularExpressions;
using FieldOps.Jsonata.Runtime;

namespace FieldOps.Jsonata.Parsing;

/// <summary>An AST node. Mutable while parsing and post-processing; read-only once compiled.</summary>
internal sealed class Node
{
    public Node(NodeType type, int position, string? value = null)
    {
        Type = type;
        Position = position;
        Value = value;
    }

    public NodeType Type { get; set; }

    public int Position { get; set; }

    /// <summary>Operator symbol, name, variable name, or string literal text.</summary>
    public string? Value { get; set; }

    /// <summary>Literal value (number, bool, JNull) for Number/Value nodes.</summary>
    public object? Literal { get; set; }

    public Node? Lhs { get; set; }

    public Node? Rhs { get; set; }

    /// <summary>Condition test, bind value, transform pattern, unary operand.</summary>
    public Node? Expr { get; set; }

    public Node? Then { get; set; }

    public Node? Else { get; set; }

    public List<Node>? Steps { get; set; }

    /// <summary>Block expressions, array constructor items.</summary>
    public List<Node>? Expressions { get; set; }

    public List<Node>? Arguments { get; set; }

    public Node? Procedure { get; set; }

    public Node? Body { get; set; }

    public List<string>? Params { get; set; }

    public Signature? Signature { get; set; }

    /// <summary>Predicates/index stages applied to a step (Filter nodes or index bindings).</summary>
    public List<Node>? Stages { get; set; }

    /// <summary>Predicates on a non-path expression.</summary>
    public List<Node>? Predicates { get; set; }

    /// <summary>Object constructor / group-by pairs.</summary>
    public List<(Node Key, Node Value)>? Pairs { get; set; }

    public Node? Group { get; set; }

    public List<(Node Expr, bool Descending)>? Terms { get; set; }

    /// <summary>Transform update and delete clauses.</summary>
    public Node? Update { get; set; }

    public Node? Delete { get; set; }

    public Regex? Regex { get; set; }

    public string? Focus { get; set; }

    public string? Index { get; set; }

    public bool KeepArray { get; set; }

    public bool ConsArray { get; set; }

    public bool KeepSingletonArray { get; set; }

    public bool Tuple { get; set; }

    public bool Thunk { get; set; }

    /// <summary>Parent-operator slot label (for <c>%</c>) and the ancestors this step must record.</summary>
    public string? Label { get; set; }

    public List<Node>? SeekingParent { get; set; }

    public int Level { get; set; }

    /// <summary>The parent slot (a <see cref="NodeType.Parent"/> node) whose label this step binds to its input.</summary>
    public Node? Ancestor { get; set; }
}
