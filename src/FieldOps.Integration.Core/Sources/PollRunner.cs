using System.Collections.Concurrent;
using FieldOps.Integration.Core.Secrets;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Core.Telemetry;
using FieldOps.Integration.Core.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Sources;

/// <summary>
/// Runs one poll of a source: resumes its open sweep (or starts one from the watermark), reads pages through the
/// source's <see cref="IPollAdapter"/>, and commits each page's records with the cursor to the next page in one
/// transaction. The last page advances the watermark to the newest version seen. A failure is recorded as the
/// source's last error; the next scheduled run resumes after the last committed page. The source's API pause is shared
/// with hydration and every other process (<see cref="ISourcePauses"/>): it is read before each page, a paused run ends
/// there (the next scheduled one resumes), and a throttled page stores the pause for everyone. Every page is made
/// storable first (<see cref="StorablePage"/>: a NUL character from the source's API is written as <c>\u0000</c> in
/// the records' keys and ids, and a page whose cursor holds one is refused).
/// </summary>
public sealed partial class PollRunner(
    IServiceProvider services,
    ISourceStore store,
    ISourcePauses pauses,
    IPolledInboxAppender inbox,
    IOptionsMonitor<SourceAdaptersOptions> adapters,
    TimeProvider time,
    SecretScrubber scrubber,
    ILogger<PollRunner> logger)
{
    private readonly ConcurrentDictionary<string, LoopFaults> _faults = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Polls <paramref name="source"/> once.</summary>
    public async Task<PollRunResult> RunAsync(string source, CancellationToken cancellationToken)
    {
        if (!adapters.CurrentValue.TryGetValue(source, out var options) || !options.Poll.IsEnabled)
            throw new InvalidOperationException($"Sources:{source}:Poll:Adapter is not configured.");
        var adapter = services.GetKeyedService<IPollAdapter>(options.Poll.Adapter)
            ?? throw new InvalidOperationException($"Sources:{source}:Poll:Adapter: no poll adapter named '{options.Poll.Adapter}' is registered.");
        var faults = _faults.GetOrAdd(source, name => new LoopFaults($"Polling {name}", logger));
        using var activity = PipelineTracing.StartTrace(PipelineTracing.Polling, "poll " + source, System.Diagnostics.ActivityKind.Client);
        try
        {
            var result = await PollAsync(source, options, adapter, faults, cancellationToken).ConfigureAwait(false);
            if (result.Error is null)
                faults.Succeeded();
            PollTracing.Finish(activity, source, result);
            return result;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The store is down (the watermark or the run record cannot be written): logged once per outage; the next
            // scheduled run tries again from the last committed page. A fault of another kind is logged once as
            // unexpected, with its stack, rather than by Quartz at every run.
            faults.Failed(ex);
            return new PollRunResult(0, 0, 0, 0, false, scrubber.Scrub(ex.Message));
        }
    }

    private async Task<PollRunResult> PollAsync(string source, SourceAdapterOptions options, IPollAdapter adapter, LoopFaults faults, CancellationToken cancellationToken)
    {
        var state = await store.GetWatermarkAsync(source, cancellationToken).ConfigureAwait(false);
        var (since, cursor, max) = state is { SweepOpen: true }
            ? (state.SweepSince, state.SweepCursor, state.SweepMax)
            : (state?.Watermark ?? options.Poll.InitialWatermark, (string?)null, (DateTimeOffset?)null);
        int pages = 0, appended = 0, stale = 0, duplicates = 0;
        var completed = false;
        try
        {
            while (pages < options.Poll.MaxPagesPerRun)
            {
                // Another process (or this one's hydration) was told to wait: no call until then, whoever polls.
                if (await pauses.GetSourcePauseAsync(source, cancellationToken).ConfigureAwait(false) is { } paused && paused > time.GetUtcNow())
                {
                    LogPaused(source, paused, pages);
                    return new PollRunResult(pages, appended, stale, duplicates, false, null) { PausedUntil = paused };
                }
                var page = StorablePage.Of(source, await adapter.FetchPageAsync(new PollRequest(source, since, cursor), cancellationToken).ConfigureAwait(false));
                foreach (var record in page.Records)
                {
                    if (record.Version is { } version && (max is null || version > max))
                        max = version;
                }
                var result = await inbox.AppendPolledAsync(source, PollTracing.WithTraces(source, page.Records), new PageCommit(since, page.NextCursor, max, time.GetUtcNow()), cancellationToken)
                    .ConfigureAwait(false);
                pages++;
                (appended, stale, duplicates) = (appended + result.Appended, stale + result.Stale, duplicates + result.Duplicates);
                if (page.NextCursor is null)
                {
                    completed = true;
                    break;
                }
                cursor = page.NextCursor;
            }
        }
        catch (SourceThrottledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The source's budget is spent: every process's polls and hydration wait it out, then the next run resumes.
            await pauses.PauseSourceAsync(source, time.GetUtcNow() + ex.RetryAfter, CancellationToken.None).ConfigureAwait(false);
            return await FailedAsync(source, faults, ex, pages, appended, stale, duplicates, completed).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return await FailedAsync(source, faults, ex, pages, appended, stale, duplicates, completed).ConfigureAwait(false);
        }
        await store.RecordRunAsync(source, time.GetUtcNow(), null, cancellationToken).ConfigureAwait(false);
        LogPolled(source, pages, appended, stale, duplicates, completed);
        return new PollRunResult(pages, appended, stale, duplicates, completed, null);
    }

    private async Task<PollRunResult> FailedAsync(string source, LoopFaults faults, Exception ex, int pages, int appended, int stale, int duplicates, bool completed)
    {
        // Recorded where the admin looks (last error), logged once per state change (not per run), and retried by the
        // next scheduled run.
        faults.Failed(ex);
        // An adapter's message may quote the source's text (a vendor's error, an expression's value): a NUL in it would
        // fail the very write that records it on PostgreSQL.
        var error = StorableText.Escape(scrubber.Scrub(ex.Message));
        await store.RecordRunAsync(source, time.GetUtcNow(), error, CancellationToken.None).ConfigureAwait(false);
        return new PollRunResult(pages, appended, stale, duplicates, completed, error);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Polling {Source} paused until {PausedUntil} (the source throttled a process on this database) after {Pages} pages; the next run resumes")]
    private partial void LogPaused(string source, DateTimeOffset pausedUntil, int pages);

    [LoggerMessage(Level = LogLevel.Information, Message = "Polled {Source}: {Pages} pages, {Appended} new, {Stale} stale, {Duplicates} duplicates, sweep completed {Completed}")]
    private partial void LogPolled(string source, int pages, int appended, int stale, int duplicates, bool completed);
}
