using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Sources;
using FieldOps.Jsonata;
using Microsoft.Extensions.Options;

namespace FieldOps.Sources.Rest;

/// <summary>
/// Polls a REST list: GET <c>{ApiBaseUrl}/{Path}</c> with "changed since", page size and cursor or page number, then
/// reads the items, the next cursor and each item's id, version and payload with the configured JSONata. The dedup
/// key is <c>{EntityType}:{id}:{version}</c> (or a hash of the payload when items carry no version), so polling the
/// same change again adds nothing.
/// </summary>
public sealed class RestPollAdapter(
    IHttpClientFactory clients,
    IAccessTokenProvider tokens,
    IOptionsMonitor<SourcesOptions> sources,
    IOptionsMonitor<RestSourcesOptions> rest) : IPollAdapter
{
    /// <summary>The adapter's name in <c>Sources:{name}:Poll:Adapter</c>.</summary>
    public const string AdapterName = "rest";

    /// <summary>The named HTTP client (no retry handler: the poll schedule retries).</summary>
    public const string ClientName = "rest-poll";

    private readonly ConcurrentDictionary<string, JsonataExpression> _expressions = new(StringComparer.Ordinal);

    /// <summary>The credentials-store connection of a REST source with OAuth: <c>rest:{source}</c>.</summary>
    public static string Connection(string source) => $"rest:{source}";

    public async Task<PollPage> FetchPageAsync(PollRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = rest.CurrentValue.TryGetValue(request.Source, out var o) ? o.Poll : throw new InvalidOperationException($"Sources:{request.Source}:Poll is not configured.");
        var url = RequestUrl(request, options);
        using var message = new HttpRequestMessage(HttpMethod.Get, url);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        await AuthenticateAsync(message, request.Source, options, cancellationToken).ConfigureAwait(false);
        using var client = clients.CreateClient(ClientName);
        client.Timeout = options.Timeout;
        using var response = await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            throw new SourceThrottledException($"{request.Source} answered 429", response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(30));
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{request.Source}: GET {url.AbsolutePath} answered {(int)response.StatusCode}", null, response.StatusCode);
        // Half a surrogate pair (a text cut through an emoji) reads as U+FFFD, except in the cursor (SourceJson).
        var answer = await SourceJson.ReadAsync(response.Content, cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(answer.Read);
        var page = ReadPage(request, options, document.RootElement);
        return page with { NextCursor = answer.Cursor(request.Source, page.NextCursor, json => SentCursor(request, options, json, page.Records.Count)) };
    }

    private string? SentCursor(PollRequest request, RestPollOptions options, string json, int count)
    {
        using var document = JsonDocument.Parse(json);
        return NextCursor(request, options, document.RootElement, count);
    }

    internal PollPage ReadPage(PollRequest request, RestPollOptions options, JsonElement body)
    {
        var items = Evaluate(options.Items, body) switch
        {
            JsonArray array => array.ToList(),
            null => [],
            var single => [single],
        };
        var records = new List<PolledRecord>(items.Count);
        foreach (var item in items)
        {
            var element = JsonSerializer.SerializeToElement(item);
            var id = Evaluate(options.Id, element)?.ToString();
            if (string.IsNullOrEmpty(id))
                throw new InvalidOperationException($"Sources:{request.Source}:Poll:Id '{options.Id}' gave no id for an item.");
            var version = SourceVersion.Read(Evaluate(options.Version, element));
            var payload = Evaluate(options.Payload, element)?.ToJsonString() ?? element.GetRawText();
            var change = version is { } v ? v.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) : Hash(payload);
            records.Add(new PolledRecord($"{options.EntityType}:{id}:{change}", options.EntityType, id, version, options.Topic, payload));
        }
        return new PollPage(records, NextCursor(request, options, body, items.Count));
    }

    private string? NextCursor(PollRequest request, RestPollOptions options, JsonElement body, int count)
    {
        if (options.Pagination == RestPagination.Page)
        {
            var page = request.Cursor is { } c ? int.Parse(c, CultureInfo.InvariantCulture) : options.FirstPage;
            return count >= options.PageSize ? (page + 1).ToString(CultureInfo.InvariantCulture) : null;
        }
        var next = Evaluate(options.NextCursor, body);
        var text = next is JsonValue value && value.TryGetValue<string>(out var s) ? s : next?.ToJsonString();
        return string.IsNullOrEmpty(text) || text == request.Cursor ? null : text;
    }

    private Uri RequestUrl(PollRequest request, RestPollOptions options)
    {
        var api = sources.CurrentValue.TryGetValue(request.Source, out var source) && source.ApiBaseUrl is { } u
            ? u
            : throw new InvalidOperationException($"Sources:{request.Source}:ApiBaseUrl is not set.");
        var builder = new StringBuilder(new Uri(new Uri(api.AbsoluteUri.TrimEnd('/') + "/"), options.Path).AbsoluteUri);
        var separator = builder.ToString().Contains('?', StringComparison.Ordinal) ? '&' : '?';
        void Add(string? name, string? value)
        {
            if (string.IsNullOrEmpty(name) || value is null)
                return;
            builder.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }
        Add(options.SinceParameter, request.Since is { } since ? FormatSince(since, options.SinceFormat) : null);
        Add(options.PageSizeParameter, options.PageSize.ToString(CultureInfo.InvariantCulture));
        if (options.Pagination == RestPagination.Page)
            Add(options.PageParameter, request.Cursor ?? options.FirstPage.ToString(CultureInfo.InvariantCulture));
        else
            Add(options.CursorParameter, request.Cursor);
        return new Uri(builder.ToString());
    }

    private static string FormatSince(DateTimeOffset since, string format) => format switch
    {
        "unixms" => since.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        "unix" => since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        _ => since.UtcDateTime.ToString(format, CultureInfo.InvariantCulture),
    };

    private async Task AuthenticateAsync(HttpRequestMessage message, string source, RestPollOptions options, CancellationToken cancellationToken)
    {
        switch (options.Auth)
        {
            case RestAuth.Header when options.ApiKey is { } key:
                message.Headers.TryAddWithoutValidation(options.AuthHeader, key);
                break;
            case RestAuth.OAuth:
                var token = await tokens.GetAccessTokenAsync(Connection(source), cancellationToken).ConfigureAwait(false);
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
                break;
        }
    }

    private JsonNode? Evaluate(string expression, JsonElement input)
    {
        var compiled = _expressions.GetOrAdd(expression, e => JsonataExpression.Compile(e));
        var result = compiled.Evaluate(input);
        return result.IsUndefined ? null : result.ToJsonNode();
    }

    private static string Hash(string payload) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(payload)))[..16];
}
