namespace FieldOps.Jsonata.Runtime;

internal static partial class Builtins
{
    private static void RegisterAggregation(Action<string, string, NativeImpl> add)
    {
        add("sum", "<a<n>:n>", (ev, a, _) =>
        {
            if (Arg(a, 0) is not JList l)
            {
                return null;
            }

            object total = ev.Mode == NumberMode.Decimal ? 0m : 0d;
            foreach (var n in l)
            {
                total = Num.Add(total, n!);
            }

            return total;
        });
        add("count", "<a:n>", (ev, a, _) => Num.FromLong(Arg(a, 0) is JList l ? l.Count : 0, ev.Mode));
        add("max", "<a<n>:n>", (_, a, _) => Extreme(Arg(a, 0), 1));
        add("min", "<a<n>:n>", (_, a, _) => Extreme(Arg(a, 0), -1));
        add("average", "<a<n>:n>", (ev, a, _) =>
        {
            if (Arg(a, 0) is not JList { Count: > 0 } l)
            {
                return null;
            }

            object total = ev.Mode == NumberMode.Decimal ? 0m : 0d;
            foreach (var n in l)
            {
                total = Num.Add(total, n!);
            }

            return Num.Div(total, Num.FromLong(l.Count, ev.Mode));
        });
    }

    private static object? Extreme(object? arg, int sign)
    {
        if (arg is not JList { Count: > 0 } l)
        {
            return null;
        }

        var best = l[0]!;
        for (var i = 1; i < l.Count; i++)
        {
            if (Num.Compare(l[i]!, best) * sign > 0)
            {
                best = l[i]!;
            }
        }

        return best;
    }
}
