using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Routing;
using FieldOps.Integration.Core.Secrets;

namespace FieldOps.Integration.Core.Dispatch;

/// <summary>
/// Makes the texts of an <see cref="OutboxUpdate"/> fit to store: secrets removed, and a NUL character written as
/// <c>\u0000</c> (<see cref="StorableText"/>). A target's answer is not ours to trust: its error text or response body
/// may hold a raw NUL, its id a decoded one; on PostgreSQL the write-back recording that call then failed at every try
/// (22021): the call was never recorded, and a row whose lease runs out is claimed and called again.
/// </summary>
internal static class OutboxUpdateScrubbing
{
    public static OutboxUpdate Scrub(this SecretScrubber scrubber, OutboxUpdate update) => update with
    {
        LastError = Storable(scrubber.Scrub(update.LastError)),
        DeadReason = Storable(scrubber.Scrub(update.DeadReason)),
        TargetId = Storable(update.TargetId),
        CrossReference = update.CrossReference is { } xref ? xref with { TargetId = StorableText.Escape(xref.TargetId) } : null,
        AttemptRecords = update.AttemptRecords
            .Select(r => r with { Message = Storable(scrubber.Scrub(r.Message)), ResponseExcerpt = Storable(scrubber.Scrub(r.ResponseExcerpt)) })
            .ToList(),
    };

    private static string? Storable(string? text) => text is null ? null : StorableText.Escape(text);
}
