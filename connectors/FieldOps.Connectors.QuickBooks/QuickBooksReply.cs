using System.Net;
using System.Text.Json;
using FieldOps.Connectors.QuickBooks.Dtos;
using FieldOps.Integration.Core.Text;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>One QuickBooks response, read whatever its status: the body may carry a fault even under HTTP 200.</summary>
internal sealed class QuickBooksReply
{
    private const int ExcerptLength = 600;

    private QuickBooksReply(HttpStatusCode status, QuickBooksEnvelope? envelope, string text, string json, TimeSpan? retryAfter, string? transactionId)
    {
        _json = json;
        TransactionId = transactionId;
        Status = status;
        IsJson = envelope is not null;
        Envelope = envelope ?? new QuickBooksEnvelope();
        Text = text;
        RetryAfter = retryAfter;
    }

    // The body as JSON is read: half a surrogate pair (an escape such as \ud83d, a value cut through an emoji) as U+FFFD.
    // System.Text.Json will not read it as a string: the answer was taken as unreadable, a 200 that created the invoice
    // retried as transient until dead. Text keeps the body as received for the excerpt.
    private readonly string _json;

    public HttpStatusCode Status { get; }

    public QuickBooksEnvelope Envelope { get; }

    /// <summary>False when the body was not a JSON object (a proxy's HTML page, a cut-off response).</summary>
    public bool IsJson { get; }

    /// <summary>The body as received.</summary>
    public string Text { get; }

    public TimeSpan? RetryAfter { get; }

    /// <summary>Intuit's <c>intuit_tid</c> header: the id Intuit support asks for.</summary>
    public string? TransactionId { get; }

    public IReadOnlyList<QuickBooksError> Errors => Envelope.Fault?.Error ?? [];

    /// <summary>True for a 2xx whose body parsed and holds no fault.</summary>
    public bool IsSuccess => (int)Status is >= 200 and < 300 && IsJson && Envelope.Fault is null;

    public bool HasError(string code) => Errors.Any(e => e.Code == code);

    /// <summary>The entity <paramref name="type"/> (e.g. <c>Invoice</c>) at the top of the body, or null.</summary>
    public QuickBooksEntity? Entity(string type) => Entity<QuickBooksEntity>(type);

    /// <summary>The entity <paramref name="type"/> at the top of the body read as <typeparamref name="T"/>, or null.</summary>
    public T? Entity<T>(string type) where T : class =>
        Root is { } root && root.TryGetProperty(type, out var entity) && entity.ValueKind == JsonValueKind.Object
            ? entity.Deserialize<T>(QuickBooksJson.Options)
            : null;

    /// <summary>The entity <paramref name="type"/> as mutable JSON, or null.</summary>
    public System.Text.Json.Nodes.JsonObject? EntityJson(string type) =>
        Root is { } root && root.TryGetProperty(type, out var entity) && entity.ValueKind == JsonValueKind.Object
            ? System.Text.Json.Nodes.JsonNode.Parse(entity.GetRawText()) as System.Text.Json.Nodes.JsonObject
            : null;

    /// <summary>The entities of <paramref name="type"/> in <c>QueryResponse</c>; empty when none matched.</summary>
    public IReadOnlyList<QuickBooksEntity> QueryResults(string type) => QueryResults<QuickBooksEntity>(type);

    /// <summary>The entities of <paramref name="type"/> in <c>QueryResponse</c> read as <typeparamref name="T"/>; empty when none matched.</summary>
    public IReadOnlyList<T> QueryResults<T>(string type) =>
        Root is { } root && root.TryGetProperty("QueryResponse", out var query) && query.TryGetProperty(type, out var found)
            && found.ValueKind == JsonValueKind.Array
            ? found.Deserialize<List<T>>(QuickBooksJson.Options) ?? []
            : [];

    private JsonElement? Root
    {
        get
        {
            if (!IsSuccess)
                return null;
            using var document = JsonDocument.Parse(_json);
            return document.RootElement.Clone();
        }
    }

    /// <summary>A bounded excerpt for the attempts history (QuickBooks bodies carry no secrets).</summary>
    public string Excerpt => TextCut.Excerpt(Text, ExcerptLength);

    /// <summary>The fault in QuickBooks' own words, for dead letters.</summary>
    public string Describe()
    {
        var what = Errors.Count > 0
            ? $"QuickBooks {Envelope.Fault?.Type ?? "fault"} (HTTP {(int)Status}): " + string.Join("; ", Errors)
            : $"QuickBooks answered HTTP {(int)Status}: {Excerpt}";
        return TransactionId is null ? what : $"{what} [intuit_tid {TransactionId}]";
    }

    public static async Task<QuickBooksReply> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var retryAfter = response.Headers.RetryAfter?.Delta;
            var transactionId = response.Headers.TryGetValues("intuit_tid", out var values) ? values.FirstOrDefault() : null;
            var json = JsonSurrogates.Mend(text);
            return new QuickBooksReply(response.StatusCode, TryParse(json), text, json, retryAfter, transactionId);
        }
    }

    private static QuickBooksEnvelope? TryParse(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.TrimStart()[0] != '{')
            return null;
        try
        {
            return JsonSerializer.Deserialize<QuickBooksEnvelope>(text, QuickBooksJson.Options);
        }
        catch (JsonException)
        {
            return null; // An HTML error page from a proxy: classified by status alone.
        }
    }
}
