using FieldOps.Integration.Core.Mapping.Loading;

namespace FieldOps.Integration.Core.Tests.Mapping;

/// <summary>An offset inside a scalar's value maps to the right line and column of the file, whatever the quoting.</summary>
public sealed class ScalarSourceMapTests
{
    [Theory]
    [InlineData("a: entity.name * 2\n", "*", 1, 16)]
    [InlineData("a: \"entity.name * 2\"\n", "*", 1, 17)]
    [InlineData("a: \"say \\\"hi\\\" * 2\"\n", "*", 1, 16)]
    [InlineData("a: 'it''s & $x'\n", "$", 1, 13)]
    [InlineData("a: |\n  $join([\n    x ]]\n  )\n", "]]", 3, 7)]
    [InlineData("a: |2\n    deep ]]\n", "]]", 2, 10)]
    [InlineData("a: >\n  first\n  second ]\n", "]", 3, 10)]
    [InlineData("a: \"one\n  two ]\"\n", "]", 2, 7)]
    public void LocateInScalar_TokenInValue_PointsAtItsCharacter(string yaml, string token, int line, int column)
    {
        var document = YamlJsonReader.Read("f.yaml", yaml);
        var value = document.Root!["a"]!.GetValue<string>();

        var located = document.LocateInScalar("/a", value.IndexOf(token, StringComparison.Ordinal));

        Assert.Equal((line, column), located);
    }

    [Fact]
    public void Read_PlainScalars_FollowTheCoreSchema()
    {
        var document = YamlJsonReader.Read("f.yaml", "a: true\nb: 1.50\nc: ~\nd: '1'\ne: entity.id\n");

        Assert.Equal("{\"a\":true,\"b\":1.50,\"c\":null,\"d\":\"1\",\"e\":\"entity.id\"}", document.Root!.ToJsonString());
    }

    [Fact]
    public void Read_TwoDocuments_IsRefusedAtTheSecond()
    {
        var ex = Assert.Throws<MappingException>(() => YamlJsonReader.Read("f.yaml", "kind: flow\n---\nkind: flow\n"));

        Assert.Equal(3, Assert.Single(ex.Diagnostics).Line);
    }
}
