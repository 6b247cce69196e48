namespace FieldOps.Jsonata.Runtime;

/// <summary>A JSON object; insertion ordered (entries are never removed in place).</summary>
internal sealed class JMap : Dictionary<string, object?>
{
    public JMap()
        : base(StringComparer.Ordinal)
    {
    }

    public JMap(int capacity)
        : base(capacity, StringComparer.Ordinal)
    {
    }

    /// <summary>Marks a tuple (binding map) in a tuple stream.</summary>
    public bool IsTuple { get; set; }

    public JMap CloneMap()
    {
        var m = new JMap(Count) { IsTuple = IsTuple };
        foreach (var kv in this)
        {
            m[kv.Key] = kv.Value;
        }

        return m;
    }
}
