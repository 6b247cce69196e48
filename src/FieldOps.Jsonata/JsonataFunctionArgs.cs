using FieldOps.Jsonata.Runtime;

namespace FieldOps.Jsonata;

/// <summary>Arguments passed to a host function, already validated against its signature.</summary>
public sealed class JsonataFunctionArgs
{
    private readonly IReadOnlyList<object?> _args;

    internal JsonataFunctionArgs(string name, IReadOnlyList<object?> args, object? context, NumberMode mode)
    {
        FunctionName = name;
        _args = args;
        Context = new JsonataValueOrUndefined(context is JList { OuterWrapper: true, Count: > 0 } ow ? ow[0] : context);
        NumberMode = mode;
    }

    /// <summary>Name of the function being called (without <c>$</c>).</summary>
    public string FunctionName { get; }

    /// <summary>Number of arguments supplied (after signature processing, e.g. context insertion).</summary>
    public int Count => _args.Count;

    /// <summary>The argument at <paramref name="index"/>, or undefined when not supplied.</summary>
    public JsonataValueOrUndefined this[int index] => new(index >= 0 && index < _args.Count ? _args[index] : null);

    /// <summary>The context value (<c>$</c>) at the call site.</summary>
    public JsonataValueOrUndefined Context { get; }

    /// <summary>Number mode of the calling expression.</summary>
    public NumberMode NumberMode { get; }
}
