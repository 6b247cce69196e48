namespace FieldOps.Jsonata.Runtime;

/// <summary>A variable scope; lookups walk up to the parent and finally to the built-in functions.</summary>
internal sealed class Frame
{
    private readonly Frame? _parent;
    private readonly IReadOnlyDictionary<string, object?>? _bound;
    private Dictionary<string, object?>? _vars;

    public Frame(Frame? parent)
    {
        _parent = parent;
    }

    private Frame(IReadOnlyDictionary<string, object?> bound)
    {
        _bound = bound;
    }

    /// <summary>A root scope over variables bound for many evaluations (read, never written: a binding here shadows them).</summary>
    public static Frame Over(IReadOnlyDictionary<string, object?> bound) => new(bound);

    public void Bind(string name, object? value)
    {
        _vars ??= new Dictionary<string, object?>(StringComparer.Ordinal);
        _vars[name] = value;
    }

    public bool TryLookup(string name, out object? value)
    {
        for (var f = this; f is not null; f = f._parent)
        {
            if (f._vars is not null && f._vars.TryGetValue(name, out value))
            {
                return true;
            }

            if (f._bound is not null && f._bound.TryGetValue(name, out value))
            {
                return true;
            }
        }

        value = null;
        return false;
    }

    public object? Lookup(string name) => TryLookup(name, out var v) ? v : null;
}
