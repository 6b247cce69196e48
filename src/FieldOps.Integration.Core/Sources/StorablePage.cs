using FieldOps.Integration.Core.Text;

namespace FieldOps.Integration.Core.Sources;

/// <summary>
/// A polled page as the store can keep it. PostgreSQL's text cannot hold a NUL character (U+0000), not even as a query's
/// parameter, and a source's API can send one (JSON's <c>\u0000</c>) in a record's id — so in its dedup key and the id
/// the version ledger records — or in its next-page cursor: the page's commit failed at every run (22021), and the
/// source stalled on that page. Half a UTF-16 surrogate pair, which Npgsql refuses, is treated the same here; one an
/// API sends as a JSON escape is read as U+FFFD before (<see cref="SourceJson"/>), so only one an adapter makes itself
/// (a JSONata cut, say) reaches this. Every adapter's page passes here before it is committed.
/// </summary>
internal static class StorablePage
{
    /// <summary>
    /// The page with each NUL in its records' keys, types, ids and topics written as <c>\u0000</c>: that text is our own
    /// bookkeeping, written the same at every poll, so the same change still dedups. The record is stored, and its
    /// payload (JSON, where the NUL stays escaped) has the router park it, naming where. A cursor is the source's own
    /// text, sent back to ask for the next page: written otherwise it would name another page, or none (closing the
    /// sweep and skipping the pages after it), so a page whose cursor holds a NUL is refused, naming the source; each
    /// run asks for it again, and the source's last poll error says why.
    /// </summary>
    public static PollPage Of(string source, PollPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (StorableText.Unfit(page.NextCursor))
            throw CursorRefused(source, StorableText.What(page.NextCursor));
        return page.Records.Any(r => StorableText.Unfit(r.DedupKey) || StorableText.Unfit(r.EntityType) || StorableText.Unfit(r.EntityId) || StorableText.Unfit(r.Topic))
            ? page with { Records = [.. page.Records.Select(Storable)] }
            : page;
    }

    /// <summary>The refusal of a page whose next-page cursor holds <paramref name="what"/>, naming the source.</summary>
    internal static InvalidOperationException CursorRefused(string source, string what) => new(
        $"Sources:{source}: the next-page cursor its API returned holds {what}, which the store cannot keep as text " +
        "(and written otherwise it would ask for another page): the page is not committed, and each run asks for it again until the API answers without one");

    private static PolledRecord Storable(PolledRecord record) => record with
    {
        DedupKey = StorableText.Escape(record.DedupKey),
        EntityType = StorableText.Escape(record.EntityType),
        EntityId = StorableText.Escape(record.EntityId),
        Topic = StorableText.Escape(record.Topic),
    };
}
