using FieldOps.Jsonata.Runtime;

namespace FieldOps.Jsonata;

/// <summary>
/// Host functions made callable from expressions (e.g. <c>$xref(system, type, id)</c>).
/// Register before compiling; <see cref="JsonataExpression.Compile"/> takes a snapshot, so later additions do not affect compiled expressions.
/// A host function may not shadow a built-in (<see cref="Add"/> rejects such names); a variable binding of the same name shadows it.
/// </summary>
public sealed class JsonataFunctionRegistry
{
    private readonly Dictionary<string, NativeFn> _functions = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Registers a host function.</summary>
    /// <param name="name">Function name, with or without the leading <c>$</c>.</param>
    /// <param name="signature">JSONata signature, e.g. <c>&lt;sss:s&gt;</c> or <c>&lt;s-:s&gt;</c>; arguments are validated
    /// (error <c>T0410</c>) and coerced exactly like built-ins. Use <c>&lt;x*&gt;</c>-style signatures sparingly.</param>
    /// <param name="impl">Implementation; return <see cref="JsonataValueOrUndefined.Undefined"/> for "no result".
    /// Throw <see cref="JsonataException"/> to report an error with your own code.</param>
    /// <returns>This registry, for chaining.</returns>
    /// <exception cref="JsonataException">The signature is malformed (<c>S0401</c>).</exception>
    public JsonataFunctionRegistry Add(string name, string signature, Func<JsonataFunctionArgs, JsonataValueOrUndefined> impl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(signature);
        ArgumentNullException.ThrowIfNull(impl);
        var bare = name.TrimStart('$');
        if (Builtins.Table.ContainsKey(bare))
        {
            throw new ArgumentException($"Host function ${bare} would shadow the built-in function of the same name.", nameof(name));
        }

        var sig = Signature.Parse(signature);
        var fn = new NativeFn(bare, sig, (ev, args, input) =>
        {
            var result = impl(new JsonataFunctionArgs(bare, args, input, ev.Mode));
            return Normalize(result.Raw, ev.Mode);
        });
        lock (_lock)
        {
            _functions[bare] = fn;
        }

        return this;
    }

    /// <summary>Names of JSONata's built-in functions (without <c>$</c>), e.g. for "did you mean" in an editor's check.</summary>
    public static IReadOnlyCollection<string> BuiltinNames => [.. Builtins.Table.Keys];

    /// <summary>Names of the registered functions (without <c>$</c>).</summary>
    public IReadOnlyCollection<string> Names
    {
        get
        {
            lock (_lock)
            {
                return [.. _functions.Keys];
            }
        }
    }

    internal IReadOnlyDictionary<string, JFunction> Snapshot()
    {
        lock (_lock)
        {
            return _functions.ToDictionary(kv => kv.Key, kv => (JFunction)kv.Value, StringComparer.Ordinal);
        }
    }

    internal static object? Normalize(object? v, NumberMode mode)
    {
        switch (v)
        {
            case decimal m when mode == NumberMode.Double:
                return (double)m;
            case double d when mode == NumberMode.Decimal:
                return Num.FromDouble(d, mode);
            case JList l:
                var nl = new JList(l.Count);
                foreach (var item in l)
                {
                    nl.Add(Normalize(item, mode));
                }

                return nl;
            case JMap o:
                var no = new JMap(o.Count);
                foreach (var kv in o)
                {
                    no[kv.Key] = Normalize(kv.Value, mode);
                }

                return no;
            default:
                return v;
        }
    }
}
