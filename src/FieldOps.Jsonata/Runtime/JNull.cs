namespace FieldOps.Jsonata.Runtime;

/// <summary>The JSON <c>null</c> value (distinct from undefined, which is a C# <c>null</c>).</summary>
internal sealed class JNull
{
    public static readonly JNull Value = new();

    private JNull()
    {
    }

    public override string ToString() => "null";
}
