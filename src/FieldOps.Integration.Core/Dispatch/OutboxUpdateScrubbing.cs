using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Routing;
using FieldOps.Integration.Core.Secrets;

namespace FieldOps.Integration.Core.Dispatch;

/// <summary>
/// Makes the texts of an <see cref="OutboxUpdate"/> fit to store: secrets removed, and a NUL character written as
/// <c>\u0000</c> (<see cref="StorableText"/>). A target's answer is not ours to trust: its error text or response body
/// may hold a raw NUL, its id a decoded one; on PostgreSQL the write-back recording that call then failed at every try
/// (22021): the call was never recorded. Such an id is not kept as a cross-reference (see <see cref="UnusableId"/>).
/// </summary>
internal static class OutboxUpdateScrubbing
{
    // Escaped, an id holding a NUL no longer names the vendor's record: shown, never kept as a cross-reference to call by
    // (an upsert by that text would make a second record); what waits for the cross-reference says so.
    private const string UnusableId = "the target answered an id holding a NUL character (\\u0000): shown escaped, not kept as a cross-reference";

    public static OutboxUpdate Scrub(this SecretScrubber scrubber, OutboxUpdate update)
    {
        var unusable = Nul(update.TargetId) || Nul(update.CrossReference?.TargetId);
        return update with
        {
            LastError = Storable(scrubber.Scrub(unusable ? (update.LastError is { } error ? $"{error}; {UnusableId}" : UnusableId) : update.LastError)),
            DeadReason = Storable(scrubber.Scrub(update.DeadReason)),
            TargetId = Storable(update.TargetId),
            CrossReference = unusable ? null : update.CrossReference,
            AttemptRecords = update.AttemptRecords
                .Select(r => r with { Message = Storable(scrubber.Scrub(r.Message)), ResponseExcerpt = Storable(scrubber.Scrub(r.ResponseExcerpt)) })
                .ToList(),
        };
    }

    private static bool Nul(string? text) => text is not null && text.Contains('\0', StringComparison.Ordinal);

    private static string? Storable(string? text) => text is null ? null : StorableText.Escape(text);
}
