namespace FieldOps.Jsonata.Runtime;

/// <summary>A parsed JSONata function signature such as <c>&lt;s-n?:s&gt;</c>, with argument validation.</summary>
internal sealed partial class Signature
{
    private readonly List<Param> _params;

    private Signature(string text, List<Param> ps)
    {
        Text = text;
        _params = ps;
    }

    public string Text { get; }

    public int ParamCount => _params.Count;

    public int RequiredCount => _params.Count(p => !p.Optional);

    public static Signature Parse(string sig, int position = -1)
    {
        var ps = new List<Param>();
        var i = 1;
        while (i < sig.Length && sig[i] != ':' && sig[i] != '>')
        {
            var c = sig[i];
            switch (c)
            {
                case 'b' or 'n' or 's' or 'l' or 'o' or 'f' or 'a':
                    ps.Add(new Param(c.ToString()));
                    break;
                case 'j':
                    ps.Add(new Param("bnsloa"));
                    break;
                case 'x':
                    ps.Add(new Param("bnsloaf"));
                    break;
                case 'u':
                    ps.Add(new Param("bnsl"));
                    break;
                case '(':
                    var end = sig.IndexOf(')', i);
                    var types = string.Empty;
                    for (var k = i + 1; k < end; k++)
                    {
                        types += sig[k] switch
                        {
                            'j' => "bnsloa",
                            'x' => "bnsloaf",
                            'u' => "bnsl",
                            '<' => throw Errors.Create("S0402", position),
                            var t => t.ToString(),
                        };
                    }

                    ps.Add(new Param(types));
                    i = end;
                    break;
                case '<':
                    var prev = ps.Count > 0 ? ps[^1] : null;
                    if (prev is null || (prev.Types != "a" && prev.Types != "f"))
                    {
                        throw Errors.Create("S0401", position, value: sig);
                    }

                    var depth = 1;
                    var j = i + 1;
                    while (j < sig.Length && depth > 0)
                    {
                        if (sig[j] == '<')
                        {
                            depth++;
                        }
                        else if (sig[j] == '>')
                        {
                            depth--;
                        }

                        j++;
                    }

                    prev.Sub = sig[(i + 1)..(j - 1)];
                    i = j - 1;
                    break;
                case '?':
                    ps[^1].Optional = true;
                    break;
                case '+':
                    ps[^1].Variadic = true;
                    break;
                case '-':
                    ps[^1].Context = true;
                    break;
                default:
                    throw Errors.Create("S0401", position, value: sig);
            }

            i++;
        }

        return new Signature(sig, ps);
    }

    public static char Symbol(object? v) => v switch
    {
        null => 'm',
        string => 's',
        double or decimal => 'n',
        bool => 'b',
        JNull => 'l',
        JList => 'a',
        JMap => 'o',
        JFunction => 'f',
        _ => 'x',
    };

    private static string TypeName(char c) => c switch
    {
        's' => "strings",
        'n' => "numbers",
        'b' => "booleans",
        'o' => "objects",
        'a' => "arrays",
        'f' => "functions",
        'l' => "nulls",
        _ => "values",
    };

    private static bool Fits(Param p, object? v)
    {
        var s = Symbol(v);
        return s == 'm' || p.Types.Contains(s, StringComparison.Ordinal) || p.Types.Contains('a', StringComparison.Ordinal) && p.Types.Length == 1 && s != 'f';
    }

    private sealed class Param(string types)
    {
        public string Types { get; } = types;

        public string? Sub { get; set; }

        public bool Optional { get; set; }

        public bool Variadic { get; set; }

        public bool Context { get; set; }
    }
}
