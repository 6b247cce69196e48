using System.Text.Json;
using System.Text.RegularExpressions;
using FieldOps.Integration.Core.Text;

namespace FieldOps.Integration.Core.Tests.Text;

/// <summary>
/// The texts no store keeps (a NUL; half a surrogate pair, which Npgsql refuses to encode) are found, escaped and cut
/// around; JSON holding half a pair as an escape is mended so System.Text.Json can read it.
/// </summary>
public sealed class StorableTextTests
{
    [Theory]
    [InlineData("plain", false)]
    [InlineData("emoji \U0001F600 pair", false)]
    [InlineData("a\0b", true)]
    [InlineData("high \\uD83D alone", true)]
    [InlineData("low \\uDE00 alone", true)]
    [InlineData("ends high \\uD83D", true)]
    [InlineData("\\uDE00\\uD83D reversed", true)]
    [InlineData("", false)]
    // Written as escapes and unescaped here: an attribute's string is kept as UTF-8, where half a pair cannot be.
    public void Unfit_FindsANulOrHalfAPair(string text, bool unfit) => Assert.Equal(unfit, StorableText.Unfit(Regex.Unescape(text)));

    [Fact]
    public void Escape_WritesEachUnfitCharacterAsItsJsonEscapeAndKeepsPairs() =>
        Assert.Equal("a\\u0000b \\ud83d \U0001F600 \\ude00", StorableText.Escape("a\0b \uD83D \U0001F600 \uDE00"));

    [Fact]
    public void What_NamesTheFirstUnfitCharacter()
    {
        Assert.Equal("a NUL character (\\u0000)", StorableText.What("x\0\uD83D"));
        Assert.StartsWith("a UTF-16 surrogate without its pair (\\ud83d", StorableText.What("x\uD83D\0"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc\U0001F600def", 4, "abc")]
    [InlineData("abc\U0001F600def", 5, "abc\U0001F600")]
    [InlineData("abcdef", 3, "abc")]
    [InlineData("ab", 5, "ab")]
    public void Cut_NeverSplitsAPair(string text, int max, string cut)
    {
        Assert.Equal(cut, TextCut.Cut(text, max));
        Assert.False(StorableText.Unfit(TextCut.Cut(text, max)));
    }

    [Theory]
    [InlineData("{\"a\":\"x\\ud83dy\"}", "x\uFFFDy")]
    [InlineData("{\"a\":\"x\\uDE00\"}", "x\uFFFD")]
    [InlineData("{\"a\":\"\\ud83d\\ude00 kept\"}", "\U0001F600 kept")]
    [InlineData("{\"a\":\"\\ud83d\\u0041\"}", "\uFFFDA")]
    [InlineData("{\"a\":\"\\\\ud83d is text\"}", "\\ud83d is text")]
    [InlineData("{\"a\":\"\\\\\\ud83d\"}", "\\\uFFFD")]
    [InlineData("{\"a\":\"end \\ud83d\"}", "end \uFFFD")]
    [InlineData("{\"a\":\"\\u00e9 \\n\"}", "\u00e9 \n")]
    [InlineData("{\"a\":\"\\uD83D\\uD83D\\uDE00\"}", "\uFFFD\U0001F600")]
    [InlineData("{\"a\":\"\\uDBFF\\uDFFF \\uDBFF\"}", "\U0010FFFF \uFFFD")]
    [InlineData("{\"a\":\"\\u005c\\ud83d\"}", "\\\uFFFD")]
    public void Mend_ReplacesEachHalfPairWithTheReplacementCharacter(string json, string value)
    {
        using var document = JsonDocument.Parse(JsonSurrogates.Mend(json));

        Assert.Equal(value, document.RootElement.GetProperty("a").GetString());
    }

    [Fact]
    public void Mend_AnEscapedHalfBesideARawHalf_AreTwoReplacements()
    {
        // System.Text.Json pairs neither: an escape and a raw character are read apart.
        using var escapedHigh = JsonDocument.Parse(JsonSurrogates.Mend("{\"a\":\"\\ud83d\uDE00\"}"));
        using var rawHigh = JsonDocument.Parse(JsonSurrogates.Mend("{\"a\":\"\uD83D\\ude00\"}"));

        Assert.Equal("\uFFFD\uFFFD", escapedHigh.RootElement.GetProperty("a").GetString());
        Assert.Equal("\uFFFD\uFFFD", rawHigh.RootElement.GetProperty("a").GetString());
    }

    [Fact]
    public void Mend_TextThatIsNotJson_IsLeftReadableAndDoesNotThrow() =>
        Assert.Equal("<error>bad \\u \\uZZZZ \uFFFD</error>", JsonSurrogates.Mend("<error>bad \\u \\uZZZZ \\ud83d</error>"));

    [Fact]
    public void Mend_RawHalfAPair_IsReplacedToo()
    {
        using var document = JsonDocument.Parse(JsonSurrogates.Mend("{\"a\":\"raw \uD83D half \uDE00\"}"));

        Assert.Equal("raw \uFFFD half \uFFFD", document.RootElement.GetProperty("a").GetString());
    }

    [Fact]
    public void Mend_TextWithoutHalfAPair_IsTheSameInstance()
    {
        var json = "{\"a\":\"\\ud83d\\ude00 \\u00e9\"}";

        Assert.Same(json, JsonSurrogates.Mend(json));
    }

    [Fact]
    public void Mend_HalfAPairInAName_IsReadable()
    {
        using var document = JsonDocument.Parse(JsonSurrogates.Mend("{\"n\\udc00\":1}"));

        Assert.Equal("n\uFFFD", document.RootElement.EnumerateObject().Single().Name);
    }
}
