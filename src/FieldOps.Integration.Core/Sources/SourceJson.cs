using System.Text;
using FieldOps.Integration.Core.Text;

namespace FieldOps.Integration.Core.Sources;

/// <summary>
/// A source API's JSON answer, as sent and as read. A vendor that cut a note or a name through an emoji and wrote it
/// with JavaScript's <c>JSON.stringify</c> sends half a surrogate pair as an escape (<c>\ud83d</c>): valid JSON, but
/// System.Text.Json will not read that string, so one such record failed its page at every poll and the source
/// stalled behind it. As read, each half is U+FFFD (<see cref="JsonSurrogates"/>), as the router reads a payload: the
/// record is stored with it, and its keys are the same at every poll. Every adapter and hydrator reads its answers here.
/// </summary>
/// <param name="Sent">The body as the source sent it.</param>
/// <param name="Read">The body with each half of a surrogate pair as U+FFFD (the same text when there is none).</param>
public sealed record SourceJson(string Sent, string Read)
{
    /// <summary>True when the answer held half a surrogate pair somewhere, read as U+FFFD.</summary>
    public bool Mended => !string.Equals(Sent, Read, StringComparison.Ordinal);

    /// <summary>The answer <paramref name="sent"/>, with the text to read it by.</summary>
    public static SourceJson Of(string sent)
    {
        ArgumentNullException.ThrowIfNull(sent);
        return new SourceJson(sent, JsonSurrogates.Mend(sent));
    }

    /// <summary>
    /// The body of <paramref name="content"/> (a source's answer), decoded as UTF-8 whatever charset its Content-Type
    /// names (JSON exchanged between systems is UTF-8, RFC 8259; a vendor declaring ISO-8859-1 for UTF-8 bytes would
    /// otherwise have every accented letter stored garbled, and a charset .NET does not know would fail every poll),
    /// with the text to read it by.
    /// </summary>
    public static async Task<SourceJson> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var bytes = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var text = Encoding.UTF8.GetString(bytes);
        return Of(text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text);
    }

    /// <summary>
    /// The next-page cursor <paramref name="cursor"/> read from <see cref="Read"/>, or a refusal naming the source when it
    /// holds half a surrogate pair. A cursor is the source's own text, sent back to ask for the next page: with U+FFFD
    /// for the half it would name another page, or none. So the page is refused, as <c>StorablePage</c> refuses a NUL;
    /// each run asks for it again, and the source's last poll error says why. <paramref name="reread"/> reads the cursor
    /// again from the answer with each half as another character: where the cursor reads the same, no half is in it,
    /// and a half elsewhere on the page leaves it as sent.
    /// </summary>
    public string? Cursor(string source, string? cursor, Func<string, string?> reread)
    {
        ArgumentNullException.ThrowIfNull(reread);
        if (!Mended || cursor is null)
            return cursor;
        // A private-use character: no cursor holds one where the source sent half a pair.
        var probe = reread(JsonSurrogates.Mend(Sent, '\uE000'));
        return string.Equals(probe, cursor, StringComparison.Ordinal)
            ? cursor
            : throw StorablePage.CursorRefused(source, "a UTF-16 surrogate without its pair (half of a character, e.g. an emoji cut in two)");
    }
}
