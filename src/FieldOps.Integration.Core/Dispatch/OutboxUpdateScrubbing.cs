using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Secrets;
using FieldOps.Integration.Core.Text;

namespace FieldOps.Integration.Core.Dispatch;

/// <summary>
/// Makes the texts of an <see cref="OutboxUpdate"/> fit to store: secrets removed, and a NUL character written as
/// <c>\u0000</c>, half a surrogate pair as its escape (<see cref="StorableText"/>). A target's answer is not ours to trust: its error text or response body
/// may hold a raw NUL, its id a decoded one; on PostgreSQL the write-back recording that call then failed at every try
/// (22021): the call was never recorded. Such an id is not kept as a cross-reference (see <see cref="UnusableId"/>), nor is one
/// holding U+FFFD, what a connector reads where the answer held no character (see <see cref="ReplacedId"/>).
/// </summary>
internal static class OutboxUpdateScrubbing
{
    // Escaped, an id holding a NUL (or half a surrogate pair) no longer names the vendor's record: shown, never kept as a
    // cross-reference to call by (an upsert by that text would make a second record); what waits for the cross-reference says so.
    private static string UnusableId(string id) => $"the target answered an id holding {StorableText.What(id)}: shown escaped, not kept as a cross-reference";

    // U+FFFD in an id is what a connector read where the answer held no character: an invalid UTF-8 byte, or half a
    // surrogate pair mended (JsonSurrogates). The vendor's record is named by what it sent, not by this text: the same rule.
    private const char Replacement = '\uFFFD';

    private const string ReplacedId =
        "the target answered an id holding a character its answer did not encode (an invalid UTF-8 byte or half a surrogate pair, read as U+FFFD): not kept as a cross-reference";

    public static OutboxUpdate Scrub(this SecretScrubber scrubber, OutboxUpdate update)
    {
        // Only a cross-reference asked for is refused (its id is the target id the outcome names); without one, the id is
        // only shown, escaped.
        var xrefId = update.CrossReference?.TargetId;
        var unusable = StorableText.Unfit(xrefId) ? UnusableId(xrefId)
            : Replaced(xrefId) ? ReplacedId
            : null;
        return update with
        {
            LastError = StorableText.Escape(scrubber.Scrub(unusable is null ? update.LastError
                : update.LastError is { } error ? $"{error}; {unusable}" : unusable)),
            DeadReason = StorableText.Escape(scrubber.Scrub(update.DeadReason)),
            TargetId = StorableText.Escape(update.TargetId),
            CrossReference = unusable is null ? update.CrossReference : null,
            AttemptRecords = update.AttemptRecords
                .Select(r => r with { Message = StorableText.Escape(scrubber.Scrub(r.Message)), ResponseExcerpt = StorableText.Escape(scrubber.Scrub(r.ResponseExcerpt)) })
                .ToList(),
        };
    }

    private static bool Replaced(string? id) => id?.Contains(Replacement, StringComparison.Ordinal) == true;
}
