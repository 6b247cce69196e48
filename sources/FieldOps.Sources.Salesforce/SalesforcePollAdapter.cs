using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Sources;
using Microsoft.Extensions.Options;

namespace FieldOps.Sources.Salesforce;

/// <summary>
/// Polls a Salesforce object with SOQL on a <c>SystemModstamp</c> watermark (<see cref="SalesforceSoql"/>). Each
/// record becomes an inbox event keyed <c>{Object}:{Id}:{SystemModstamp}</c>, so the overlap's re-reads and a record
/// seen on two pages are duplicates that add nothing, while a later change of the same record is a new event.
/// The poll runner owns the watermark and the transaction; this adapter only reads a page.
/// </summary>
public sealed class SalesforcePollAdapter(
    IHttpClientFactory clients,
    IAccessTokenProvider tokens,
    IOptionsMonitor<SourcesOptions> sources,
    IOptionsMonitor<SalesforceSourcesOptions> salesforce,
    TimeProvider time) : IPollAdapter
{
    /// <summary>The adapter's name in <c>Sources:{name}:Poll:Adapter</c>.</summary>
    public const string AdapterName = "salesforce";

    /// <summary>The named HTTP client (timeout only; the poll schedule retries).</summary>
    public const string ClientName = "salesforce-poll";

    /// <summary>The credentials-store connection of a polled Salesforce source: <c>salesforce-source:{name}</c>.</summary>
    public static string Connection(string source) => $"salesforce-source:{source}";

    public async Task<PollPage> FetchPageAsync(PollRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = salesforce.CurrentValue.TryGetValue(request.Source, out var o) ? o.Poll : new SalesforcePollOptions();
        var api = sources.CurrentValue.TryGetValue(request.Source, out var source) && source.ApiBaseUrl is { } u
            ? u
            : throw new InvalidOperationException($"Sources:{request.Source}:ApiBaseUrl (the org's instance URL) is not set.");
        var soql = SalesforceSoql.Build(options, request.Since, SalesforceCursor.Parse(request.Cursor));
        var url = new Uri(new Uri(api.AbsoluteUri.TrimEnd('/') + "/"), $"services/data/{options.ApiVersion}/query?q={Uri.EscapeDataString(soql)}");
        var connection = Connection(request.Source);
        var token = await tokens.GetAccessTokenAsync(connection, cancellationToken).ConfigureAwait(false);
        var startedAt = time.GetUtcNow();
        using var client = clients.CreateClient(ClientName);
        client.Timeout = options.Timeout;
        var response = await SendAsync(client, url, token, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            token = await tokens.RefreshAsync(connection, startedAt, cancellationToken).ConfigureAwait(false);
            response = await SendAsync(client, url, token, cancellationToken).ConfigureAwait(false);
        }
        using (response)
        {
            // A text cut through an emoji comes as half a surrogate pair: read as U+FFFD (SourceJson), the record is stored.
            var answer = await SourceJson.ReadAsync(response.Content, cancellationToken).ConfigureAwait(false);
            var body = answer.Read;
            // Salesforce throttles with 403 REQUEST_LIMIT_EXCEEDED and sends no Retry-After (target-apis.md §1).
            if (response.StatusCode == HttpStatusCode.Forbidden && body.Contains("REQUEST_LIMIT_EXCEEDED", StringComparison.Ordinal))
                throw new SourceThrottledException($"{request.Source}: Salesforce REQUEST_LIMIT_EXCEEDED", TimeSpan.FromMinutes(15));
            if (!response.IsSuccessStatusCode)
                throw new HttpRequestException($"{request.Source}: SOQL query answered {(int)response.StatusCode}: {(body.Length > 300 ? body[..300] : body)}", null, response.StatusCode);
            return ReadPage(options, JsonNode.Parse(body) as JsonObject ?? throw new JsonException("the query answer is not a JSON object"));
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Uri url, AccessToken token, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, url);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    internal static PollPage ReadPage(SalesforcePollOptions options, JsonObject body)
    {
        var records = new List<PolledRecord>();
        SalesforceCursor? last = null;
        foreach (var node in body["records"] as JsonArray ?? [])
        {
            if (node is not JsonObject record)
                continue;
            var id = record["Id"]?.ToString() ?? throw new JsonException("a record without Id");
            var modstamp = SalesforceSoql.ParseDateTime(record["SystemModstamp"]?.ToString())
                ?? throw new JsonException($"record {id} has no readable SystemModstamp");
            record.Remove("attributes");
            record["SystemModstamp"] = modstamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            record["sobjectType"] = options.Object;
            records.Add(new PolledRecord($"{options.Object}:{id}:{modstamp.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}",
                options.Object, id, modstamp, options.Topic, record.ToJsonString()));
            last = new SalesforceCursor(modstamp, id);
        }
        // A full page may have more behind it; the next page starts after its last (SystemModstamp, Id).
        var next = records.Count >= options.PageSize && last is { } cursor ? cursor.ToString() : null;
        return new PollPage(records, next);
    }
}
