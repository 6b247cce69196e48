namespace FieldOps.Jsonata.Runtime;

internal static partial class Builtins
{
    private static void RegisterDate(Action<string, string, NativeImpl> add)
    {
        add("now", "<s?s?:s>", (ev, a, _) => DateFormat.FromMillis(ev.Now.ToUnixTimeMilliseconds(), Arg(a, 0) as string, Arg(a, 1) as string));
        add("millis", "<:n>", (ev, _, _) => Num.FromLong(ev.Now.ToUnixTimeMilliseconds(), ev.Mode));
        add("fromMillis", "<n-s?s?:s>", (_, a, _) => Arg(a, 0) is { } ms ? DateFormat.FromMillis((long)Math.Floor(Num.ToDouble(ms)), Arg(a, 1) as string, Arg(a, 2) as string) : null);
        add("toMillis", "<s-s?:n>", (ev, a, _) => Arg(a, 0) is string s && DateFormat.ToMillis(s, Arg(a, 1) as string, ev.Now) is { } ms ? Num.FromLong(ms, ev.Mode) : null);
    }
}
