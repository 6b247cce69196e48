using System.Net;
using System.Text.Json;
using FieldOps.Connectors.BambooHR.Dtos;
using FieldOps.Integration.Core.Text;

namespace FieldOps.Connectors.BambooHR;

/// <summary>One BambooHR response, read whatever its status.</summary>
internal sealed class BambooHRReply
{
    private const int ExcerptLength = 600;

    private BambooHRReply(HttpStatusCode status, string text, TimeSpan? retryAfter, string? errorHeader)
    {
        Status = status;
        Text = text;
        RetryAfter = retryAfter;
        ErrorHeader = errorHeader;
        Problem = TryParse<BambooHRProblem>(text, '{');
    }

    public HttpStatusCode Status { get; }

    public string Text { get; }

    /// <summary>Retry-After, as a wait from now (BambooHR sends it on every rate-limited response).</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The reason older endpoints give in <c>X-BambooHR-Error-Message</c>.</summary>
    public string? ErrorHeader { get; }

    public BambooHRProblem? Problem { get; }

    public bool IsSuccess => (int)Status is >= 200 and < 300 && Problem?.Error is null;

    public string Excerpt => TextCut.Excerpt(Text, ExcerptLength);

    /// <summary>The failure in BambooHR's own words.</summary>
    public string Describe()
    {
        var what = Problem?.Error is { } legacy ? $"{legacy.Code}: {legacy.Message}"
            : Problem is { Title: not null } or { Detail: not null } ? Problem.ToString()
            : Excerpt;
        var header = string.IsNullOrEmpty(ErrorHeader) ? "" : $" (X-BambooHR-Error-Message: {ErrorHeader})";
        return $"BambooHR answered HTTP {(int)Status}: {what}{header}";
    }

    /// <summary>The per-item results of the bulk Hours endpoint, or null when the body is not that array.</summary>
    public IReadOnlyList<BambooHRBulkItem>? BulkItems() => TryParse<List<BambooHRBulkItem>>(Text, '[');

    public T? Deserialize<T>() where T : class => TryParse<T>(Text, Text.TrimStart().FirstOrDefault());

    public static async Task<BambooHRReply> ReadAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var retry = response.Headers.RetryAfter;
            var wait = retry?.Delta ?? (retry?.Date is { } date ? date - time.GetUtcNow() : null);
            if (wait < TimeSpan.Zero)
                wait = TimeSpan.Zero;
            var header = response.Headers.TryGetValues("X-BambooHR-Error-Message", out var values) ? string.Join(" ", values) : null;
            return new BambooHRReply(response.StatusCode, text, wait, header);
        }
    }

    private static T? TryParse<T>(string text, char expectedStart) where T : class
    {
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.IsEmpty || trimmed[0] != expectedStart)
            return null;
        try
        {
            // Half a surrogate pair (an escape such as \ud83d: a value cut through an emoji) is read as U+FFFD; System.Text.Json
            // will not read it as a string, and the whole answer was taken as unreadable.
            return JsonSerializer.Deserialize<T>(JsonSurrogates.Mend(text), BambooHRJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
