using System.Globalization;
using System.Text;
using System.Text.Json;
using FieldOps.Jsonata.Runtime;

namespace FieldOps.Jsonata.Tests;

/// <summary>Values and variables converted once for many evaluations: <see cref="JsonataBindings"/>, <see cref="JsonataValueOrUndefined.ToJsonValue"/>.</summary>
public sealed class PreparedValueTests
{
    private static readonly IReadOnlyDictionary<string, JsonElement> Lookups = new Dictionary<string, JsonElement>
    {
        ["statusMap"] = Eval.Element("""{"A": "active", "I": "inactive"}"""),
        ["$rate"] = Eval.Element("0.1"),
        ["tiers"] = Eval.Element("[1, 2.5, {\"n\": 3}]"),
        ["precise"] = Eval.Element("0.081414129173666257"),
        ["tiny"] = Eval.Element("1e-23"),
    };

    private static readonly string[] Expressions =
    [
        "$lookup($statusMap, status)", "qty * $rate", "$tiers[1] + $tiers[2].n", "$sum($tiers[$type($) = 'number'])",
        "{'s': $statusMap.A, 'r': $rate, 't': $tiers}", "($statusMap := {'A': 'shadowed'}; $statusMap.A)", "$tiers ~> |$|{'seen': true}|",
        "{} ~> |$statusMap|{'A': 'changed'}, ['I']|", "{} ~> |$tiers[2]|{'seen': true}|", "[$precise = 0.081414129173666257, $tiny = 1e-23]",
    ];

    [Theory]
    [InlineData(NumberMode.Decimal)]
    [InlineData(NumberMode.Double)]
    public void Evaluate_WithPreparedBindings_GivesWhatTheDictionaryGives(NumberMode mode)
    {
        var input = JsonataValueOrUndefined.FromJson(Eval.Element("""{"status": "A", "qty": 3}"""));
        var bindings = JsonataBindings.From(Lookups);
        foreach (var source in Expressions)
        {
            var expression = JsonataExpression.Compile(source, new JsonataOptions { NumberMode = mode });
            Assert.Equal(expression.Evaluate(input, Lookups).ToJsonString(), expression.Evaluate(input, bindings).ToJsonString());
        }
        // Double mode reads the bound numbers as doubles, as it reads the input: 3 * 0.1 is not 0.3 there.
        Assert.Equal(mode == NumberMode.Double ? "0.30000000000000004" : "0.3",
            JsonataExpression.Compile("qty * $rate", new JsonataOptions { NumberMode = mode }).Evaluate(input, bindings).ToJsonString());
    }

    [Fact]
    public void PreparedBindings_SharedByManyThreads_AreNeverModified()
    {
        var bindings = JsonataBindings.From(Lookups);
        var input = JsonataValueOrUndefined.FromJson(Eval.Element("""{"status": "A", "qty": 3}"""));
        var expressions = Expressions.Select(e => JsonataExpression.Compile(e)).ToArray();
        var expected = expressions.Select(e => e.Evaluate(input, Lookups).ToJsonString()).ToArray();
        Parallel.For(0, 2000, n => Assert.Equal(expected[n % expected.Length], expressions[n % expressions.Length].Evaluate(input, bindings).ToJsonString()));
        // The expression that assigned $statusMap and the transform of $tiers left the shared values as they were.
        Assert.Equal("active", JsonataExpression.Compile("$statusMap.A").Evaluate(input, bindings).ToJsonString().Trim('"'));
        Assert.Equal("""[1,2.5,{"n":3}]""", JsonataExpression.Compile("$tiers").Evaluate(input, bindings).ToJsonString());
    }

    [Fact]
    public void With_AddsOrReplacesOneVariable_AndLeavesTheOriginalAsItWas()
    {
        var bindings = JsonataBindings.From(Lookups);
        var more = bindings.With("item", JsonataValueOrUndefined.FromJson(Eval.Element("""{"n": 7}"""))).With("$rate", Eval.Element("2"));
        var expression = JsonataExpression.Compile("[$item.n, $rate, $statusMap.I]");
        Assert.Equal("""[7,2,"inactive"]""", expression.Evaluate(JsonataValueOrUndefined.Undefined, more).ToJsonString());
        Assert.Equal("""[0.1,"inactive"]""", expression.Evaluate(JsonataValueOrUndefined.Undefined, bindings).ToJsonString());
        Assert.Equal(5, bindings.Count);
        Assert.Equal(6, more.Count);
    }

    /// <summary>Results whose engine values carry what JSON does not: sequences, undefined members, doubles, functions.</summary>
    public static TheoryData<string> Results() => new()
    {
        """{"lines": lines.{"n": n, "missing": nothing, "v": v * 1.5}, "first": lines[0].n, "k": [lines.n]}""",
        """{"seq": lines.n, "keep": lines[0].n[], "nested": [[1, 2], [lines.n]], "single": [lines[0]]}""",
        """{"d": $sqrt(2), "p": $power(10, 25), "r": 0.1 + 0.2, "big": $power(2, 100), "tiny": 1e-30, "i": $power(2, 10)}""",
        """{"f": function($x) { $x }, "b": true, "z": null, "u": undefined, "s": $string(lines[0])}""",
        """lines ~> $map(function($l, $i) { {"i": $i, "l": $l} })""",
        """{"grouped": lines{n: v}, "sorted": lines^(>v).n, "joined": $join(lines.n, ",")}""",
        """[1, [2, [3, lines.v]], {"x": [lines[0]]}]""",
        "lines.n",
        "lines[0]",
        "$sqrt(2) * 1e10",
        "nothing",
    };

    [Theory]
    [MemberData(nameof(Results))]
    public void ToJsonValue_GivesWhatConvertingItsJsonGives(string source)
    {
        var input = JsonataValueOrUndefined.FromJson(Eval.Element("""{"lines": [{"n": "a", "v": 1}, {"n": "b", "v": 2.25}, {"n": "c", "v": 3}]}"""));
        var result = JsonataExpression.Compile(source).Evaluate(input).Value;
        Assert.Equal(Shape(JsonataValueOrUndefined.FromJson(result.ToJsonNode()).Raw), Shape(result.ToJsonValue().Raw));
    }

    [Fact]
    public void ToJsonValue_LeavesOutAMemberWithoutAValue_AsJsonDoes()
    {
        // The engine's object constructor never stores one, but a host function's map may.
        var value = new JsonataValueOrUndefined(new JMap { ["a"] = null, ["b"] = 1m, ["c"] = new JList { null } });
        Assert.Equal(Shape(JsonataValueOrUndefined.FromJson(value.ToJsonNode()).Raw), Shape(value.ToJsonValue().Raw));
        Assert.Equal("{b:Decimal:1,c:[seq=False,keep=False,cons=False,outer=False,tuples=False:JNull:null,],}", Shape(value.ToJsonValue().Raw));
    }

    [Fact]
    public void ToJsonValue_MakesEveryObjectAndArrayANewOne_AsARoundTripThroughJsonDoes()
    {
        // `in` compares objects by reference: a value that appears twice in a result must not become one object.
        var input = JsonataValueOrUndefined.FromJson(Eval.Element("""{"a": {"b": [1, "x"]}}"""));
        var result = JsonataExpression.Compile("{'x': a, 'y': [a]}").Evaluate(input).Value.ToJsonValue();
        Assert.Equal("[false,false]", JsonataExpression.Compile("[x in y, x in $$.y]").Evaluate(result).ToJsonString());
        Assert.Equal(JsonataExpression.Compile("[x in y]").Evaluate(JsonataValueOrUndefined.FromJson(result.ToJsonNode())).ToJsonString(),
            JsonataExpression.Compile("[x in y]").Evaluate(result).ToJsonString());
        Assert.NotSame(((JMap)input.Raw!)["a"], ((JMap)result.Raw!)["x"]);
    }

    [Fact]
    public void Transform_OfAValueOutsideItsCopy_LeavesThatValueAsItWas()
    {
        // The pattern reaches the shared input ($$) or, through an expression's own $clone, the original: neither changes.
        var input = JsonataValueOrUndefined.FromJson(Eval.Element("""{"a": {"b": 1}}"""));
        Assert.Equal("{}", JsonataExpression.Compile("{} ~> |$$.a|{'b': 2}|").Evaluate(input).ToJsonString());
        Assert.Equal("""{"a":{"b":1,"z":1}}""", JsonataExpression.Compile("($clone := function($v) { $v }; $$ ~> |a|{'z': 1}|)").Evaluate(input).ToJsonString());
        Assert.Equal("""{"a":{"b":1}}""", input.ToJsonString());
    }

    [Fact]
    public void FromObject_KeepsTheOrder_AndLeavesOutUndefined()
    {
        var value = JsonataValueOrUndefined.FromObject([
            KeyValuePair.Create("b", JsonataValueOrUndefined.FromString("x")), KeyValuePair.Create("u", JsonataValueOrUndefined.Undefined),
            KeyValuePair.Create("a", JsonataValueOrUndefined.Null), KeyValuePair.Create("n", JsonataValueOrUndefined.FromNumber(2m))]);
        Assert.Equal("""{"b":"x","a":null,"n":2}""", value.ToJsonString());
    }

    /// <summary>The value's structure with every .NET type and engine flag, so equal text cannot hide a decimal read as a double.</summary>
    private static string Shape(object? value)
    {
        var text = new StringBuilder();
        Write(value);
        return text.ToString();

        void Write(object? v)
        {
            switch (v)
            {
                case JMap m:
                    text.Append(m.IsTuple ? "tuple{" : "{");
                    foreach (var (key, item) in m)
                    {
                        text.Append(key).Append(':');
                        Write(item);
                        text.Append(',');
                    }

                    text.Append('}');
                    break;
                case JList l:
                    text.Append(CultureInfo.InvariantCulture, $"[seq={l.IsSequence},keep={l.KeepSingleton},cons={l.Cons},outer={l.OuterWrapper},tuples={l.TupleStream}:");
                    foreach (var item in l)
                    {
                        Write(item);
                        text.Append(',');
                    }

                    text.Append(']');
                    break;
                default:
                    text.Append(CultureInfo.InvariantCulture, $"{v?.GetType().Name ?? "undefined"}:{v}");
                    break;
            }
        }
    }
}
