using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FieldOps.Sources.Jobber;

/// <summary>
/// Calls Jobber's GraphQL API for one source: bearer token from the credentials store (one refresh on 401), the
/// required <c>X-JOBBER-GRAPHQL-VERSION</c> header (a warning when Jobber reports another version or a deprecation),
/// and the query-cost leaky bucket: <c>THROTTLED</c> and HTTP 429 become <see cref="SourceThrottledException"/> with
/// the time the bucket needs to refill, and a nearly empty bucket delays the next call. No retries here: the
/// hydration service and the poll schedule own those.
/// </summary>
public sealed partial class JobberGraphQLClient(
    IHttpClientFactory clients,
    IAccessTokenProvider tokens,
    IOptionsMonitor<SourcesOptions> sources,
    IOptionsMonitor<SourceAdaptersOptions> adapters,
    TimeProvider time,
    ILogger<JobberGraphQLClient> logger)
{
    /// <summary>The named HTTP client (timeout only; no retry handler).</summary>
    public const string ClientName = "jobber";

    /// <summary>The API version sent when <c>Sources:{name}:ApiVersion</c> is not set.</summary>
    public const string DefaultApiVersion = "2025-04-16";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _notBefore = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string> _versionWarned = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The credentials-store connection of a Jobber source: <c>jobber:{source}</c>.</summary>
    public static string Connection(string source) => $"jobber:{source}";

    /// <summary>Runs <paramref name="query"/> with <paramref name="variables"/> against <paramref name="source"/>'s account.</summary>
    internal async Task<JobberResponse> QueryAsync(string source, string query, JsonObject variables, CancellationToken cancellationToken)
    {
        if (_notBefore.TryGetValue(source, out var notBefore) && notBefore > time.GetUtcNow())
            await Task.Delay(notBefore - time.GetUtcNow(), time, cancellationToken).ConfigureAwait(false);
        var connection = Connection(source);
        var token = await tokens.GetAccessTokenAsync(connection, cancellationToken).ConfigureAwait(false);
        // After the token is in hand: a refresh must hand out a token issued after this attempt began.
        var startedAt = time.GetUtcNow();
        using var response = await SendAsync(source, query, variables, token, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            // An expired or revoked token: refresh once (single-flight in the store) and ask again.
            token = await tokens.RefreshAsync(connection, startedAt, cancellationToken).ConfigureAwait(false);
            using var retried = await SendAsync(source, query, variables, token, cancellationToken).ConfigureAwait(false);
            return await ReadAsync(source, retried, cancellationToken).ConfigureAwait(false);
        }
        return await ReadAsync(source, response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync(string source, string query, JsonObject variables, AccessToken token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUrl(source), "graphql"))
        {
            Content = JsonContent.Create(new JsonObject { ["query"] = query, ["variables"] = variables.DeepClone() }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        request.Headers.TryAddWithoutValidation("X-JOBBER-GRAPHQL-VERSION", ApiVersion(source));
        return await clients.CreateClient(ClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JobberResponse> ReadAsync(string source, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(10);
            throw new SourceThrottledException($"Jobber answered 429 for source {source}", wait);
        }
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"Jobber GraphQL answered {(int)response.StatusCode} for source {source}", null, response.StatusCode);
        // A text Jobber cut through an emoji comes as half a surrogate pair, which System.Text.Json will not read (nor a
        // store keep): read as U+FFFD, the record hydrates and polls, and an error quoting it is recorded in Jobber's words, the half as U+FFFD.
        var answer = await SourceJson.ReadAsync(response.Content, cancellationToken).ConfigureAwait(false);
        var body = (answer.Read.Length == 0 ? null : JsonNode.Parse(answer.Read) as JsonObject)
            ?? throw new JobberGraphQLException("Jobber answered an empty body.");
        var extensions = body["extensions"] as JsonObject;
        CheckVersion(source, extensions?["versioning"] as JsonObject);
        var status = extensions?["cost"]?["throttleStatus"];
        var available = Number(status?["currentlyAvailable"]);
        var restore = Number(status?["restoreRate"]);
        var requested = Number(extensions?["cost"]?["requestedQueryCost"]);
        if (body["errors"] is JsonArray { Count: > 0 } errors)
        {
            var first = errors[0];
            var code = first?["extensions"]?["code"]?.GetValue<string>();
            if (string.Equals(code, "THROTTLED", StringComparison.Ordinal))
                throw new SourceThrottledException($"Jobber throttled source {source} (query cost {requested}, available {available})", RefillTime(requested, available, restore));
            throw new JobberGraphQLException($"Jobber GraphQL error{(code is null ? "" : $" {code}")}: {first?["message"]?.GetValue<string>()}");
        }
        Pace(source, requested, available, restore);
        return new JobberResponse(body["data"] as JsonObject, available, restore) { Answer = answer };
    }

    // Keep the bucket from running dry: when fewer points are left than this query cost, wait for them first.
    private void Pace(string source, double? requested, double? available, double? restore)
    {
        if (requested is { } cost && available is { } left && left < cost)
            _notBefore[source] = time.GetUtcNow() + RefillTime(cost, left, restore);
    }

    private static TimeSpan RefillTime(double? requested, double? available, double? restore)
    {
        if (requested is not { } cost || available is not { } left || restore is not > 0)
            return TimeSpan.FromSeconds(1);
        var seconds = Math.Max(0.1, (cost - left) / restore.Value);
        return TimeSpan.FromSeconds(Math.Min(seconds, 60));
    }

    private void CheckVersion(string source, JsonObject? versioning)
    {
        if (versioning is null)
            return;
        var reported = versioning["version"]?.GetValue<string>();
        var warning = versioning["warning"]?.GetValue<string>();
        var requested = ApiVersion(source);
        var key = $"{reported}|{warning}";
        if ((reported is not null && !string.Equals(reported, requested, StringComparison.Ordinal) || warning is not null)
            && !string.Equals(_versionWarned.GetValueOrDefault(source), key, StringComparison.Ordinal))
        {
            _versionWarned[source] = key;
            LogVersion(source, requested, reported, warning);
        }
    }

    private Uri BaseUrl(string source)
    {
        var url = sources.CurrentValue.TryGetValue(source, out var options) ? options.ApiBaseUrl : null;
        if (url is null)
            throw new InvalidOperationException($"Sources:{source}:ApiBaseUrl is not set.");
        return url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }

    private string ApiVersion(string source) =>
        adapters.CurrentValue.TryGetValue(source, out var options) && options.ApiVersion is { Length: > 0 } v ? v : DefaultApiVersion;

    private static double? Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<double>(out var d) ? d : null;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Jobber source {Source}: asked for API version {Requested}, Jobber reports {Reported}; warning: {VersionWarning}")]
    private partial void LogVersion(string source, string requested, string? reported, string? versionWarning);
}
