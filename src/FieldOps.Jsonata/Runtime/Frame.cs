namespace FieldOps.Jsonata.Runtime;

/// <summary>A variable scope; lookups walk up to the parent and finally to the built-in functions.</summary>
internal sealed class Frame
{
    private readonly Frame? _parent;
    private Dictionary<string, object?>? _vars;

    public Frame(Frame? parent)
    {
        _parent = parent;
    }

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
        }

        value = null;
        return false;
    }

    public object? Lookup(string name) => TryLookup(name, out var v) ? v : null;
}
