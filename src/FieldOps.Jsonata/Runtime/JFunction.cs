using System.Text.RegularExpressions;
using FieldOps.Jsonata.Parsing;

namespace FieldOps.Jsonata.Runtime;

/// <summary>A function value: lambda, built-in, host function, partial application or regex matcher.</summary>
internal abstract class JFunction
{
    public abstract int Arity { get; }
}

internal sealed class LambdaFn(Node node, Frame env, object? input) : JFunction
{
    public Node Node { get; } = node;

    public Frame Env { get; } = env;

    public object? Input { get; } = input;

    public override int Arity => Node.Params!.Count;
}

/// <summary>Implementation delegate of a native function: evaluator, validated args, context input.</summary>
internal delegate object? NativeImpl(Evaluator ev, IReadOnlyList<object?> args, object? input);

internal sealed class NativeFn(string name, Signature? signature, NativeImpl impl) : JFunction
{
    public string Name { get; } = name;

    public Signature? Signature { get; } = signature;

    public NativeImpl Impl { get; } = impl;

    public override int Arity => Signature?.RequiredCount ?? 1;
}

internal sealed class PartialFn(JFunction target, object?[] args, bool[] holes) : JFunction
{
    public JFunction Target { get; } = target;

    public object?[] Args { get; } = args;

    public bool[] Holes { get; } = holes;

    public override int Arity => Holes.Count(h => h);
}

internal sealed class RegexFn(Regex regex) : JFunction
{
    public Regex Regex { get; } = regex;

    public override int Arity => 1;
}
