using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Secrets;

namespace FieldOps.Integration.Core.Dispatch;

/// <summary>Removes secrets from the texts of an <see cref="OutboxUpdate"/> before they are stored.</summary>
internal static class OutboxUpdateScrubbing
{
    public static OutboxUpdate Scrub(this SecretScrubber scrubber, OutboxUpdate update) => update with
    {
        LastError = scrubber.Scrub(update.LastError),
        DeadReason = scrubber.Scrub(update.DeadReason),
        AttemptRecords = update.AttemptRecords
            .Select(r => r with { Message = scrubber.Scrub(r.Message), ResponseExcerpt = scrubber.Scrub(r.ResponseExcerpt) })
            .ToList(),
    };
}
