using System.Runtime.CompilerServices;
using FieldOps.Jsonata.Parsing;

namespace FieldOps.Jsonata.Runtime;

/// <summary>Tree-walking evaluator; one instance per evaluation (holds the guardrail counters).</summary>
internal sealed partial class Evaluator
{
    private readonly int _maxDepth;
    private readonly long _deadline;
    private readonly bool _hasDeadline;
    private readonly IReadOnlyDictionary<string, JFunction>? _host;
    private int _depth;
    private int _tick;

    public Evaluator(NumberMode mode, EvaluationOptions options, IReadOnlyDictionary<string, JFunction>? host)
    {
        Mode = mode;
        Options = options;
        _host = host;
        _maxDepth = options.MaxDepth;
        if (options.TimeLimit is { } limit)
        {
            _hasDeadline = true;
            var tp = options.TimeProvider;
            _deadline = tp.GetTimestamp() + (long)(limit.TotalSeconds * tp.TimestampFrequency);
        }
    }

    public NumberMode Mode { get; }

    public EvaluationOptions Options { get; }

    /// <summary>Captured once per evaluation so <c>$now()</c> is stable within it.</summary>
    public DateTimeOffset Now => _now ??= Options.TimeProvider.GetUtcNow();

    private DateTimeOffset? _now;

    public object? Evaluate(Node node, object? input, Frame env)
    {
        Enter();
        object? result;
        try
        {
            result = EvalCore(node, input, env);
            if (node.Predicates is not null)
            {
                foreach (var p in node.Predicates)
                {
                    result = EvaluateFilter(p.Expr!, result, env);
                }
            }

            if (node.Group is not null && node.Type != NodeType.Path)
            {
                result = EvaluateGroup(node.Group, result, env);
            }
        }
        finally
        {
            _depth--;
        }

        if (result is JList { IsSequence: true, TupleStream: false } seq)
        {
            if (node.KeepArray)
            {
                seq.KeepSingleton = true;
            }

            if (seq.Count == 0)
            {
                return null;
            }

            if (seq.Count == 1 && !seq.KeepSingleton)
            {
                return seq[0];
            }
        }

        return result;
    }

    private void Enter()
    {
        _depth++;
        if (_depth > _maxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Errors.Create("U1001");
        }

        if (_hasDeadline && (++_tick & 63) == 0)
        {
            CheckTime();
        }
    }

    public void CheckTime()
    {
        if (_hasDeadline && Options.TimeProvider.GetTimestamp() > _deadline)
        {
            throw new JsonataException("U1001", $"Expression evaluation timeout: the time limit of {Options.TimeLimit!.Value.TotalMilliseconds:0} ms was exceeded. Check for an infinite loop.")
            {
                TimeLimitExceeded = true,
            };
        }
    }

    private object? EvalCore(Node node, object? input, Frame env)
    {
        switch (node.Type)
        {
            case NodeType.Path:
                return EvaluatePath(node, input, env);
            case NodeType.Binary:
                return EvaluateBinary(node, input, env);
            case NodeType.Negate:
                var v = Evaluate(node.Expr!, input, env);
                if (v is null)
                {
                    return null;
                }

                if (!Num.IsNumber(v))
                {
                    throw Errors.Create("D1002", node.Position, "-", value: v);
                }

                return Num.Negate(v);
            case NodeType.Name:
                return Lookup(input, node.Value!);
            case NodeType.String:
            case NodeType.Number:
            case NodeType.Value:
                return node.Literal;
            case NodeType.Wildcard:
                return Wildcard(input);
            case NodeType.Descendant:
                return Descendants(input);
            case NodeType.Parent:
                return env.Lookup(node.Label!);
            case NodeType.Condition:
                var test = Evaluate(node.Expr!, input, env);
                if (Builtins.ToBoolean(test) == true)
                {
                    return Evaluate(node.Then!, input, env);
                }

                return node.Else is null ? null : Evaluate(node.Else, input, env);
            case NodeType.Block:
                var frame = new Frame(env);
                object? last = null;
                foreach (var e in node.Expressions!)
                {
                    last = Evaluate(e, input, frame);
                }

                return last;
            case NodeType.Bind:
                var value = Evaluate(node.Rhs!, input, env);
                env.Bind(node.Lhs!.Value!, value);
                return value;
            case NodeType.Regex:
                return new RegexFn(node.Regex!);
            case NodeType.Function:
                return EvaluateFunctionCall(node, input, env);
            case NodeType.Partial:
                return EvaluatePartial(node, input, env);
            case NodeType.Variable:
                return LookupVariable(node.Value!, input, env);
            case NodeType.Lambda:
                return new LambdaFn(node, env, input);
            case NodeType.Apply:
                return EvaluateApply(node, input, env);
            case NodeType.Transform:
                return EvaluateTransform(node, env);
            case NodeType.ArrayCtor:
                return EvaluateArray(node, input, env);
            case NodeType.ObjectCtor:
                return EvaluateGroup(node, input, env);
            case NodeType.Sort:
                return EvaluateSort(node, input, env);
            default:
                throw Errors.Create("S0206", node.Position, node.Value);
        }
    }

    public object? LookupVariable(string name, object? input, Frame env)
    {
        if (name.Length == 0)
        {
            return input is JList { OuterWrapper: true } ow && ow.Count > 0 ? ow[0] : input;
        }

        if (env.TryLookup(name, out var v))
        {
            return v;
        }

        if (_host is not null && _host.TryGetValue(name, out var h))
        {
            return h;
        }

        return Builtins.Table.TryGetValue(name, out var b) ? b : null;
    }

    private JList EvaluateArray(Node node, object? input, Frame env)
    {
        var result = new JList();
        foreach (var item in node.Expressions!)
        {
            var value = Evaluate(item, input, env);
            if (value is null)
            {
                continue;
            }

            if (item.Type == NodeType.ArrayCtor)
            {
                result.Add(value);
            }
            else if (value is JList l)
            {
                result.AddRange(l);
            }
            else
            {
                result.Add(value);
            }
        }

        if (node.ConsArray)
        {
            result.Cons = true;
        }

        return result;
    }
}
