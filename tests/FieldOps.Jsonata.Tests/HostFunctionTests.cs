using System.Text.Json;

namespace FieldOps.Jsonata.Tests;

public sealed class HostFunctionTests
{
    private static JsonataFunctionRegistry Registry() => new JsonataFunctionRegistry()
        .Add("xref", "<sss:s>", a => a[2].AsString() == "missing"
            ? JsonataValueOrUndefined.Undefined
            : JsonataValueOrUndefined.FromString($"{a[0].AsString()}:{a[1].AsString()}:{a[2].AsString()}"))
        .Add("$double", "<n-:n>", a => JsonataValueOrUndefined.FromNumber(a[0].AsDecimal()!.Value * 2))
        .Add("describe", "<x:o>", a => JsonataValueOrUndefined.FromJson(new System.Text.Json.Nodes.JsonObject
        {
            ["kind"] = a[0].Kind.ToString(),
            ["name"] = a[0].GetProperty("name").AsString(),
        }));

    [Fact]
    public void Call_RegisteredFunction_ReceivesArgumentsAndReturnsValue()
    {
        var r = Eval.Run("$xref('sap', 'plant', plant)", """{"plant":"P1"}""", functions: Registry());
        Assert.Equal("\"sap:plant:P1\"", r.ToJsonString());
    }

    [Fact]
    public void Call_FunctionReturningUndefined_YieldsUndefined() => Assert.True(Eval.Run("$xref('a', 'b', 'missing')", functions: Registry()).IsUndefined);

    [Fact]
    public void Call_WrongArgumentType_ThrowsT0410()
    {
        var ex = Assert.Throws<JsonataException>(() => Eval.Run("$xref('a', 'b', 3)", functions: Registry()));
        Assert.Equal("T0410", ex.Code);
        Assert.Equal("xref", ex.Token);
    }

    [Fact]
    public void Call_ContextArgument_UsesCurrentValue() => Assert.Equal("[3,5]", Eval.Run("values.$double()", """{"values":[1.5,2.5]}""", functions: Registry()).ToJsonString());

    [Fact]
    public void Call_ObjectArgument_IsReadable() => Assert.Equal("""{"kind":"Object","name":"x"}""", Eval.Run("$describe({'name': 'x'})", functions: Registry()).ToJsonString());

    [Fact]
    public void Add_NameOfBuiltIn_IsRejected() => Assert.Throws<ArgumentException>(() => new JsonataFunctionRegistry().Add("sum", "<a:n>", _ => JsonataValueOrUndefined.Undefined));

    [Fact]
    public void Add_MalformedSignature_Throws() => Assert.Equal("S0401", Assert.Throws<JsonataException>(() => new JsonataFunctionRegistry().Add("f", "<q:s>", _ => JsonataValueOrUndefined.Null)).Code);

    [Fact]
    public void Lookup_BoundTable_ReadsValue()
    {
        var bindings = new Dictionary<string, JsonElement> { ["statusMap"] = Eval.Element("""{"DONE":"completed","OPEN":"scheduled"}""") };
        Assert.Equal("\"completed\"", Eval.Run("$lookup($statusMap, status)", """{"status":"DONE"}""", bindings: bindings).ToJsonString());
    }
}
