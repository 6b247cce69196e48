using System.Net.Http.Headers;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Intake;

/// <summary>
/// The durable webhook intake: verify the signature over the raw bytes, derive the dedup key, commit to the inbox,
/// and only then say 2xx. Nothing slow happens here: the router picks the event up from the inbox.
/// </summary>
public sealed partial class WebhookIntake(
    IOptionsMonitor<SourcesOptions> sources,
    WebhookSourceKinds kinds,
    WebhookSignatureVerifier verifier,
    IInboxStore inbox,
    TimeProvider time,
    ILogger<WebhookIntake> logger,
    Operations.OperationsMetrics? metrics = null)
{
    private static readonly string[] AlwaysKept = ["Content-Type", "User-Agent"];

    /// <summary>The configured source, or null.</summary>
    public SourceOptions? FindSource(string name) => sources.CurrentValue.TryGetValue(name, out var source) ? source : null;

    /// <summary>Takes one POST for <paramref name="sourceName"/> whose URI is unknown (kinds that sign only the body).</summary>
    public Task<IntakeResult> AcceptAsync(
        string sourceName, string? contentType, Func<string, string?> header, ReadOnlyMemory<byte> body, string? remoteAddress,
        CancellationToken cancellationToken) =>
        AcceptAsync(new WebhookDelivery(sourceName, "POST", null, header, body), contentType, remoteAddress, cancellationToken);

    /// <summary>Takes one delivery; the body is already read and within the limit. The event's trace starts here.</summary>
    public async Task<IntakeResult> AcceptAsync(WebhookDelivery delivery, string? contentType, string? remoteAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var started = time.GetTimestamp();
        using var activity = IntakeTracing.Start(delivery);
        var result = await AcceptTracedAsync(delivery, contentType, remoteAddress, activity, cancellationToken).ConfigureAwait(false);
        IntakeTracing.Finish(activity, result);
        if (FindSource(delivery.Source) is not null)
            metrics?.WebhookAnswered(delivery.Source, result.StatusCode, time.GetElapsedTime(started));
        return result;
    }

    // The intake span is passed, not read from Activity.Current: with tracing off, Current is ASP.NET Core's own request
    // activity (propagation only), whose id must not be stored as the event's trace.
    private async Task<IntakeResult> AcceptTracedAsync(
        WebhookDelivery delivery, string? contentType, string? remoteAddress, System.Diagnostics.Activity? activity, CancellationToken cancellationToken)
    {
        var (sourceName, header, body) = (delivery.Source, delivery.Header, delivery.Body);
        ArgumentNullException.ThrowIfNull(header);
        var source = FindSource(sourceName);
        if (source is null)
            return IntakeResult.Error(404, "unknown source", $"No source '{sourceName}' is configured under Sources.");
        // One source, one spelling: /webhooks/JOBBER is stored (and deduplicated) as the configured name.
        sourceName = sources.CurrentValue.Keys.First(k => string.Equals(k, sourceName, StringComparison.OrdinalIgnoreCase));
        // The options validator refuses an unknown kind at start; a reload can still bring one.
        if (kinds.Find(source.Kind) is not { } kind)
            return IntakeResult.Error(404, "unknown source", $"Source '{sourceName}' has kind '{source.Kind}', which is not registered.");
        if (!kind.AcceptsWebhooks)
            return IntakeResult.Error(404, "unknown source", $"Source '{sourceName}' (kind {source.Kind}) is polled; it takes no webhooks.");
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType is null
            || !kind.AcceptsContentType(media.MediaType))
        {
            return IntakeResult.Error(415, "unsupported content type",
                $"'{contentType}' is not accepted for source '{sourceName}'; send application/json.");
        }
        var problem = kind.Authenticate(delivery with { Source = sourceName }, source, verifier);
        if (problem is not null)
        {
            LogRejectedSignature(logger, sourceName, remoteAddress, problem);
            return IntakeResult.Error(401, "invalid signature", $"The delivery could not be authenticated: {problem}.");
        }
        try
        {
            var (document, payload) = kind.ReadPayload(media.MediaType, body);
            using (document)
            {
                var kept = KeepHeaders(source, header);
                if (kind.SplitBatch(document.RootElement) is { } batch)
                    return await AppendBatchAsync(sourceName, batch, contentType, kept, activity, cancellationToken).ConfigureAwait(false);
                var dedupKey = DedupKeyDeriver.Derive(source, kind, header, body.Span, document.RootElement);
                var result = await inbox.AppendAsync(
                    new NewInboxEvent(sourceName, dedupKey, time.GetUtcNow(), contentType, kept, body, payload)
                    {
                        TraceParent = PipelineTracing.TraceParentOf(activity),
                    }, cancellationToken).ConfigureAwait(false);
                IntakeTracing.Appended(activity, result);
                if (result.IsDuplicate)
                    LogDuplicate(logger, result.EventId, sourceName, dedupKey);
                else
                    LogAccepted(logger, result.EventId, sourceName, dedupKey);
                return result.IsDuplicate ? IntakeResult.Duplicate(result.EventId) : IntakeResult.Accepted(result.EventId);
            }
        }
        catch (WebhookRejectedException ex)
        {
            return IntakeResult.Error(ex.StatusCode, ex.Error, ex.Detail);
        }
        catch (InboxUnavailableException ex)
        {
            LogStoreUnavailable(logger, ex, sourceName);
            return IntakeResult.Error(503, "store unavailable", "The event could not be stored; retry later.", retryAfterSeconds: 5);
        }
    }

    /// <summary>Each event of a batch as its own inbox event; 202 when any is new, 200 when all were stored before.</summary>
    private async Task<IntakeResult> AppendBatchAsync(
        string sourceName, IReadOnlyList<WebhookBatchEvent> batch, string? contentType, Dictionary<string, string> kept, System.Diagnostics.Activity? request,
        CancellationToken cancellationToken)
    {
        var results = new List<InboxAppendResult>(batch.Count);
        foreach (var item in batch)
        {
            // One trace per event: each item's starts here, linked to the request's.
            using var activity = PipelineTracing.StartTrace(PipelineTracing.Intake, "intake " + sourceName, System.Diagnostics.ActivityKind.Internal, request?.Context ?? default);
            // Each commits before the next; when one cannot, the sender retries the batch and the stored ones are duplicates.
            var result = await inbox.AppendAsync(
                new NewInboxEvent(sourceName, item.DedupKey, time.GetUtcNow(), contentType, kept, System.Text.Encoding.UTF8.GetBytes(item.Json))
                {
                    TraceParent = PipelineTracing.TraceParentOf(activity),
                }, cancellationToken)
                .ConfigureAwait(false);
            IntakeTracing.Appended(activity, result);
            if (result.IsDuplicate)
                LogDuplicate(logger, result.EventId, sourceName, item.DedupKey);
            else
                LogAccepted(logger, result.EventId, sourceName, item.DedupKey);
            results.Add(result);
        }
        return IntakeResult.Batch(results);
    }

    private static Dictionary<string, string> KeepHeaders(SourceOptions source, Func<string, string?> header)
    {
        var kept = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in AlwaysKept.Concat(source.KeepHeaders).Append(source.Dedup.Header ?? ""))
        {
            if (name.Length > 0 && header(name) is { } value)
                kept[name] = value;
        }
        return kept;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a webhook for {Source} from {RemoteAddress}: {Problem}")]
    private static partial void LogRejectedSignature(ILogger logger, string source, string? remoteAddress, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Received event {InboxEventId} from {Source} (key {DedupKey})")]
    private static partial void LogAccepted(ILogger logger, long inboxEventId, string source, string dedupKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Duplicate of event {InboxEventId} from {Source} (key {DedupKey}): nothing written")]
    private static partial void LogDuplicate(ILogger logger, long inboxEventId, string source, string dedupKey);

    [LoggerMessage(Level = LogLevel.Error, Message = "The inbox could not store a webhook for {Source}; answered 503")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception, string source);
}
