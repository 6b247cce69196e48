using System.Diagnostics.CodeAnalysis;

namespace FieldOps.Integration.Core.Text;

/// <summary>
/// Texts cut to a length for a log, a page or a column. A cut at a plain index can split a surrogate pair (an emoji is
/// two UTF-16 units), and the half left is no character: Npgsql refuses to send it (the write failed at every try) and
/// SQLite writes it as U+FFFD. These cuts end before such a pair instead.
/// </summary>
public static class TextCut
{
    /// <summary>At most <paramref name="max"/> characters of <paramref name="text"/>, never ending in half a surrogate pair.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Cut(string? text, int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        return text is null || text.Length <= max ? text : text[..(max > 0 && char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)];
    }

    /// <summary><paramref name="text"/> as it is when it fits in <paramref name="max"/> characters, else cut there with <paramref name="more"/> after it.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Excerpt(string? text, int max, string more = "…") =>
        text is null || text.Length <= max ? text : Cut(text, max) + more;
}
