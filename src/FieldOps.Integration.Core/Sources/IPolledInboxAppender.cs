namespace FieldOps.Integration.Core.Sources;

/// <summary>The inbox append for polls: a page's records and the watermark that covers them, in one transaction.</summary>
public interface IPolledInboxAppender
{
    /// <summary>
    /// Appends the records (skipping duplicates, recording older versions as stale) and applies
    /// <paramref name="commit"/> to the source's watermark, in one transaction: a crash never skips or repeats a page.
    /// </summary>
    Task<PolledAppendResult> AppendPolledAsync(string source, IReadOnlyList<PolledRecord> records, PageCommit commit, CancellationToken cancellationToken);
}
