using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Sources;
using Microsoft.Extensions.Options;

namespace FieldOps.Sources.BambooHR;

/// <summary>
/// Reads BambooHR time-off requests (<c>GET /api/v1/time_off/requests?start=&amp;end=</c>, every status) over the
/// rolling window, in one page. Each request is keyed <c>TimeOff:{id}:{status}:{start}:{end}</c>: polling the same
/// state again is a duplicate, while approval, cancellation, denial or new dates are each a new event, in order.
/// </summary>
public sealed class BambooHRTimeOffPollAdapter(
    IHttpClientFactory clients,
    IOptionsMonitor<SourcesOptions> sources,
    IOptionsMonitor<BambooHRSourcesOptions> bamboo,
    TimeProvider time) : IPollAdapter
{
    public const string AdapterName = "bamboohr-timeoff";
    public const string ClientName = "bamboohr-source";

    public async Task<PollPage> FetchPageAsync(PollRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = bamboo.CurrentValue.GetValueOrDefault(request.Source) ?? new BambooHRSourceOptions();
        var api = sources.CurrentValue.TryGetValue(request.Source, out var source) && source.ApiBaseUrl is { } u
            ? u
            : throw new InvalidOperationException($"Sources:{request.Source}:ApiBaseUrl (https://{{company}}.bamboohr.com) is not set.");
        var key = options.ApiKey ?? throw new InvalidOperationException($"Sources:{request.Source}:ApiKey is not set (environment: Sources__{request.Source}__ApiKey).");
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var start = today.AddDays(-(int)options.Poll.LookBack.TotalDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var end = today.AddDays((int)options.Poll.Horizon.TotalDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(api.AbsoluteUri.TrimEnd('/') + "/"), $"api/v1/time_off/requests?start={start}&end={end}"));
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        message.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":x")));
        using var client = clients.CreateClient(ClientName);
        client.Timeout = options.Poll.Timeout;
        using var response = await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
        // Rate limiting: 503 until 2026-09-15, 429 with Retry-After from 2026-09-16 (target-apis.md §4.4).
        if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
            throw new SourceThrottledException($"BambooHR answered {(int)response.StatusCode} for source {request.Source}", response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(60));
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{request.Source}: GET time_off/requests answered {(int)response.StatusCode}", null, response.StatusCode);
        // A name cut through an emoji comes as half a surrogate pair: read as U+FFFD (SourceJson), the request is stored.
        var body = JsonNode.Parse((await SourceJson.ReadAsync(response.Content, cancellationToken).ConfigureAwait(false)).Read);
        return new PollPage(ReadRecords(body), null);
    }

    internal static List<PolledRecord> ReadRecords(JsonNode? body)
    {
        var records = new List<PolledRecord>();
        foreach (var item in body as JsonArray ?? [])
        {
            if (item is not JsonObject entry || entry["id"]?.ToString() is not { Length: > 0 } id)
                continue;
            var status = entry["status"]?["status"]?.ToString() ?? "unknown";
            var key = string.Create(CultureInfo.InvariantCulture, $"TimeOff:{id}:{status}:{entry["start"]}:{entry["end"]}");
            records.Add(new PolledRecord(key, "TimeOff", id, null, $"timeoff.{status}", entry.ToJsonString()));
        }
        return records;
    }
}
