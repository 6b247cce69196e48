namespace FieldOps.Jsonata.Runtime;

internal static partial class Builtins
{
    private static void RegisterFormat(Action<string, string, NativeImpl> add)
    {
        add("formatBase", "<n-n?:s>", (_, a, _) =>
        {
            if (Arg(a, 0) is not { } v)
            {
                return null;
            }

            var radix = Arg(a, 1) is { } r ? (int)Num.ToDouble(r) : 10;
            if (radix < 2 || radix > 36)
            {
                throw Errors.Create("D3100", value: radix);
            }

            var n = (long)Math.Round(Num.ToDouble(v), MidpointRounding.ToEven);
            var neg = n < 0;
            n = Math.Abs(n);
            const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
            var s = n == 0 ? "0" : string.Empty;
            while (n > 0)
            {
                s = digits[(int)(n % radix)] + s;
                n /= radix;
            }

            return neg ? "-" + s : s;
        });
        add("formatInteger", "<n-s:s>", (_, a, _) => Arg(a, 0) is { } v ? IntegerPicture.Format(Num.ToDouble(v), (string)Arg(a, 1)!) : null);
        add("parseInteger", "<s-s:n>", (ev, a, _) => Arg(a, 0) is string s && IntegerPicture.Parse(s, (string)Arg(a, 1)!) is { } d ? Num.FromDouble(d, ev.Mode) : null);
        add("formatNumber", "<n-so?:s>", (_, a, _) => Arg(a, 0) is { } v ? NumberPicture.Format(Num.ToDouble(v), (string)Arg(a, 1)!, Arg(a, 2) as JMap) : null);
        add("eval", "<sx?:x>", (ev, a, input) => EvalExpression(ev, Arg(a, 0) as string, a.Count > 1 ? a[1] : input));
    }

    private static object? EvalExpression(Evaluator ev, string? expr, object? input)
    {
        if (expr is null)
        {
            return null;
        }

        Parsing.Node ast;
        try
        {
            ast = Parsing.Parser.Parse(expr, ev.Mode);
        }
        catch (JsonataException ex)
        {
            throw Errors.Create("D3120", value: ex.Message);
        }

        try
        {
            return ev.Evaluate(ast, input, new Frame(null));
        }
        catch (JsonataException ex) when (ex.Code != "U1001")
        {
            throw Errors.Create("D3121", value: ex.Message);
        }
    }
}
