using FieldOps.Jsonata.Parsing;

namespace FieldOps.Jsonata.Runtime;

internal sealed partial class Evaluator
{
    private object? EvaluateFunctionCall(Node node, object? input, Frame env, object? applyTo = null, bool hasApplyTo = false)
    {
        var proc = Evaluate(node.Procedure!, input, env);
        var procName = ProcName(node.Procedure!);
        if (proc is null && node.Procedure!.Type == NodeType.Path && procName is not null && LookupVariable(procName, input, env) is not null)
        {
            throw Errors.Create("T1005", node.Position, procName);
        }

        var args = new List<object?>(node.Arguments!.Count + 1);
        if (hasApplyTo)
        {
            args.Add(applyTo);
        }

        foreach (var a in node.Arguments)
        {
            args.Add(Evaluate(a, input, env));
        }

        // An exception filter (not catch/rethrow): rethrowing from nested catch blocks grows the stack on deep recursion.
        try
        {
            return Apply(proc, args, input, node.Position, procName);
        }
        catch (JsonataException ex) when (Annotate(ex, node.Position, procName))
        {
            throw;
        }
    }

    /// <summary>Fills in position and token of an error raised inside a call; always returns false (used as a filter).</summary>
    private static bool Annotate(JsonataException ex, int position, string? name)
    {
        if (ex.Position < 0)
        {
            ex.Position = position;
        }

        ex.Token ??= name;
        return false;
    }

    private static string? ProcName(Node procedure) => procedure.Type == NodeType.Path ? procedure.Steps![0].Value : procedure.Value;

    private PartialFn EvaluatePartial(Node node, object? input, Frame env)
    {
        var proc = Evaluate(node.Procedure!, input, env);
        var procName = ProcName(node.Procedure!);
        if (proc is null && node.Procedure!.Type == NodeType.Path && procName is not null && LookupVariable(procName, input, env) is not null)
        {
            throw Errors.Create("T1007", node.Position, procName);
        }

        if (proc is not JFunction f)
        {
            throw Errors.Create("T1008", node.Position, procName);
        }

        var args = new object?[node.Arguments!.Count];
        var holes = new bool[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            if (node.Arguments[i].Type == NodeType.Placeholder)
            {
                holes[i] = true;
            }
            else
            {
                args[i] = Evaluate(node.Arguments[i], input, env);
            }
        }

        return new PartialFn(f, args, holes);
    }

    private object? EvaluateApply(Node node, object? input, Frame env)
    {
        var lhs = Evaluate(node.Lhs!, input, env);
        if (node.Rhs!.Type == NodeType.Function)
        {
            var applied = EvaluateFunctionCall(node.Rhs, input, env, lhs, true);
            if (node.Rhs.KeepArray && applied is JList { IsSequence: true } kl)
            {
                kl.KeepSingleton = true;
            }

            return applied;
        }

        var func = Evaluate(node.Rhs, input, env);
        if (func is not JFunction g)
        {
            throw Errors.Create("T2006", node.Position, value: func);
        }

        if (lhs is JFunction f)
        {
            return new NativeFn("compose", null, (ev, args, inp) => ev.Apply(g, [ev.Apply(f, args, inp)], inp));
        }

        return Apply(g, [lhs], input, node.Position);
    }

    /// <summary>Applies a function value to arguments, trampolining tail calls.</summary>
    public object? Apply(object? proc, IReadOnlyList<object?> args, object? input, int position = -1, string? name = null)
    {
        var result = ApplyInner(proc, args, input, position, name);
        while (result is LambdaFn { Node.Thunk: true } thunk)
        {
            var call = thunk.Node.Body!;
            var next = Evaluate(call.Procedure!, thunk.Input, thunk.Env);
            var procName = ProcName(call.Procedure!);
            if (next is null && call.Procedure!.Type == NodeType.Path && procName is not null && LookupVariable(procName, thunk.Input, thunk.Env) is not null)
            {
                throw Errors.Create("T1005", call.Position, procName);
            }

            var nextArgs = new List<object?>(call.Arguments!.Count);
            foreach (var a in call.Arguments)
            {
                nextArgs.Add(Evaluate(a, thunk.Input, thunk.Env));
            }

            try
            {
                result = ApplyInner(next, nextArgs, thunk.Input, call.Position, procName);
            }
            catch (JsonataException ex) when (Annotate(ex, call.Position, procName))
            {
                throw;
            }
        }

        return result;
    }

    private object? ApplyInner(object? proc, IReadOnlyList<object?> args, object? input, int position, string? name)
    {
        switch (proc)
        {
            case LambdaFn lambda:
                var largs = lambda.Node.Signature is { } sig ? sig.Validate(args, input, name ?? "lambda", position) : args;
                var frame = new Frame(lambda.Env);
                var ps = lambda.Node.Params!;
                for (var i = 0; i < ps.Count; i++)
                {
                    frame.Bind(ps[i], i < largs.Count ? largs[i] : null);
                }

                return Evaluate(lambda.Node.Body!, lambda.Input, frame);
            case NativeFn native:
                var ctx = input is JList { OuterWrapper: true, Count: > 0 } ow ? ow[0] : input;
                var nargs = native.Signature is { } nsig ? nsig.Validate(args, ctx, native.Name, position) : args;
                return native.Impl(this, nargs, input);
            case PartialFn partial:
                var full = new List<object?>(partial.Args.Length);
                var k = 0;
                for (var i = 0; i < partial.Args.Length; i++)
                {
                    full.Add(partial.Holes[i] ? (k < args.Count ? args[k++] : null) : partial.Args[i]);
                }

                return Apply(partial.Target, full, input, position, name);
            case RegexFn regex:
                return Builtins.RegexMatchObject(this, regex.Regex, args.Count > 0 ? args[0] as string : null, 0);
            default:
                throw Errors.Create("T1006", position, name);
        }
    }

    /// <summary>Calls a function from a higher-order built-in, passing only as many args as it declares.</summary>
    public object? CallHof(JFunction f, object? a1, object? a2, object? a3, object? a4 = null, int max = 3)
    {
        var arity = f.Arity;
        if (f is LambdaFn { Node.Signature: null } || f is PartialFn)
        {
            arity = Math.Min(arity, max);
        }
        else
        {
            arity = Math.Min(Math.Max(arity, 1), max);
        }

        var args = new List<object?>(arity) { a1 };
        if (arity >= 2)
        {
            args.Add(a2);
        }

        if (arity >= 3)
        {
            args.Add(a3);
        }

        if (arity >= 4)
        {
            args.Add(a4);
        }

        return Apply(f, args, null);
    }
}
