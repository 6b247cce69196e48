namespace FieldOps.Jsonata.Runtime;

internal static partial class Builtins
{
    private static void RegisterBoolean(Action<string, string, NativeImpl> add)
    {
        add("boolean", "<x-:b>", (_, a, _) => ToBoolean(Arg(a, 0)) is { } b ? Json.Bool(b) : null);
        add("not", "<x-:b>", (_, a, _) => ToBoolean(Arg(a, 0)) is { } b ? Json.Bool(!b) : null);
        add("exists", "<x:b>", (_, a, _) => Json.Bool(Arg(a, 0) is not null));
    }
}
