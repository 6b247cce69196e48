namespace FieldOps.Jsonata.Runtime;

/// <summary>An array value; flags carry JSONata's sequence semantics.</summary>
internal sealed class JList : List<object?>
{
    public JList()
    {
    }

    public JList(int capacity)
        : base(capacity)
    {
    }

    public JList(IEnumerable<object?> items)
        : base(items)
    {
    }

    /// <summary>A result sequence (unwrapped when singleton) rather than a constructed array.</summary>
    public bool IsSequence { get; set; }

    /// <summary>A singleton sequence that must stay an array (<c>[]</c> step).</summary>
    public bool KeepSingleton { get; set; }

    /// <summary>Produced by an array constructor; not flattened by path steps.</summary>
    public bool Cons { get; set; }

    /// <summary>The wrapper put around an array input document.</summary>
    public bool OuterWrapper { get; set; }

    /// <summary>A stream of tuples (maps of bindings plus <c>@</c>).</summary>
    public bool TupleStream { get; set; }

    public JList AsOuterWrapper()
    {
        IsSequence = true;
        OuterWrapper = true;
        return this;
    }

    public static JList Sequence() => new() { IsSequence = true };

    public static JList Sequence(object? item)
    {
        var s = new JList { IsSequence = true };
        if (item is not null)
        {
            s.Add(item);
        }

        return s;
    }
}
