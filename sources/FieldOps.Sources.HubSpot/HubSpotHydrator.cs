using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Sources;
using Microsoft.Extensions.Options;

namespace FieldOps.Sources.HubSpot;

/// <summary>
/// Fetches what a HubSpot ticket event needs (its webhooks carry only the object id): the ticket's properties and its
/// first associated contact, through CRM v3 with the portal's private-app token (<c>Sources__{name}__AccessToken</c>).
/// The ticket's <c>hs_lastmodifieddate</c> is the source version.
/// </summary>
public sealed class HubSpotHydrator(IHttpClientFactory clients, IOptionsMonitor<SourcesOptions> sources, IOptionsMonitor<HubSpotSourcesOptions> hubspot) : IRecordHydrator
{
    public const string ClientName = "hubspot-source";

    private const string TicketProperties = "subject,content,hs_ticket_priority,hs_pipeline_stage,fs_jobber_request_id,fs_job_id,hs_lastmodifieddate,createdate";
    private const string ContactProperties = "email,firstname,lastname,company,phone";

    public HydrationRequest? Describe(string source, JsonNode payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var type = payload["subscriptionType"]?.ToString();
        var objectId = payload["objectId"]?.ToString();
        if (type is null || string.IsNullOrEmpty(objectId) || !type.StartsWith("ticket.", StringComparison.Ordinal))
            return null;
        return new HydrationRequest(source, "tickets", objectId, type);
    }

    public async Task<HydratedRecord> FetchAsync(HydrationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ticket = await GetAsync(request.Source, $"crm/v3/objects/tickets/{Uri.EscapeDataString(request.EntityId)}?properties={TicketProperties}&associations=contacts", cancellationToken)
            .ConfigureAwait(false);
        if (ticket is null)
            return new HydratedRecord(null, null);
        JsonObject? contact = null;
        if (ticket["associations"]?["contacts"]?["results"] is JsonArray { Count: > 0 } contacts && contacts[0]?["id"]?.ToString() is { } contactId)
            contact = await GetAsync(request.Source, $"crm/v3/objects/contacts/{Uri.EscapeDataString(contactId)}?properties={ContactProperties}", cancellationToken).ConfigureAwait(false);
        var record = new JsonObject { ["ticket"] = ticket, ["contact"] = contact };
        return new HydratedRecord(record, SourceVersion.Read(ticket["properties"]?["hs_lastmodifieddate"]));
    }

    private async Task<JsonObject?> GetAsync(string source, string path, CancellationToken cancellationToken)
    {
        var api = sources.CurrentValue.TryGetValue(source, out var options) && options.ApiBaseUrl is { } url ? url : new Uri("https://api.hubapi.com/");
        var token = hubspot.CurrentValue.GetValueOrDefault(source)?.AccessToken
            ?? throw new InvalidOperationException($"Sources:{source}:AccessToken (a private-app token with the tickets and contacts read scopes) is not set.");
        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(api.AbsoluteUri.TrimEnd('/') + "/"), path));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await clients.CreateClient(ClientName).SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            throw new SourceThrottledException($"HubSpot answered 429 for source {source}", response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(10));
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"HubSpot GET {message.RequestUri!.AbsolutePath} answered {(int)response.StatusCode}", null, response.StatusCode);
        // A ticket's text cut through an emoji comes as half a surrogate pair: read as U+FFFD (SourceJson), it hydrates.
        return JsonNode.Parse((await SourceJson.ReadAsync(response.Content, cancellationToken).ConfigureAwait(false)).Read) as JsonObject;
    }
}
