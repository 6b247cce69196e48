namespace FieldOps.Integration.Core.Inbox;

/// <summary>Where an inbox event is in its life. Stored as the lower-case name.</summary>
public static class InboxEventState
{
    /// <summary>Committed, not routed yet.</summary>
    public const string New = "new";

    /// <summary>Routed: its outbox rows were written in the same transaction.</summary>
    public const string Routed = "routed";

    /// <summary>
    /// Thin: the source profile's <c>requires</c> are not met, and the source's kind has a hydrator that fetches what is
    /// missing (the record); the hydration service then hands the event back as <see cref="New"/>.
    /// </summary>
    public const string AwaitingHydration = "awaiting_hydration";

    /// <summary>
    /// A flow's <c>enrich</c> read failed in a way that may pass: the event waits, with the reason and the attempt, and
    /// is handed back as <see cref="New"/> when its retry is due (bounded backoff); after the last attempt it is parked.
    /// </summary>
    public const string AwaitingEnrichment = "awaiting_enrichment";

    /// <summary>No flow matched: kept, visibly, with the reason.</summary>
    public const string Unmatched = "unmatched";

    /// <summary>A mapping failed: kept with file, line, column and field until an admin re-routes it.</summary>
    public const string Parked = "parked";

    /// <summary>An older source version arrived after a newer one: recorded, not routed again.</summary>
    public const string Stale = "stale";
}
