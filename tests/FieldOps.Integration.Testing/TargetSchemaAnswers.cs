using FieldOps.Integration.Core.Mapping.TargetSchemas;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Integration.Testing;

/// <summary>
/// Salesforce <c>sobjects/{Object}/describe</c> and HubSpot <c>/crm/v3/properties/{objectType}</c> answers in the vendors'
/// documented shape (<c>Fixtures/target-schemas/</c>, sources in each file's <c>_meta</c>): for the schema check's unit
/// tests (as cached schemas) and for <c>fieldops validate --online</c> against WireMock.Net.
/// </summary>
public static class TargetSchemaAnswers
{
    /// <summary>The Salesforce objects described: those the shipped flows write.</summary>
    public static IReadOnlyList<string> SalesforceObjects { get; } = ["Account", "Case", "CaseComment"];

    /// <summary>The HubSpot object types whose properties are answered: those the shipped flows write.</summary>
    public static IReadOnlyList<string> HubSpotObjects { get; } = ["contacts", "companies", "tickets", "notes"];

    /// <summary>The answer body for <paramref name="connector"/>'s <paramref name="objectType"/>.</summary>
    public static string Body(string connector, string objectType) =>
        Fixture.Load(connector == "salesforce"
            ? $"target-schemas/salesforce-describe-{objectType.ToLowerInvariant()}.json"
            : $"target-schemas/hubspot-properties-{objectType}.json").ResponseBody!;

    /// <summary>Every answer as the store would cache it, fetched at <paramref name="fetchedAt"/>.</summary>
    public static IReadOnlyList<CachedTargetSchema> Cached(DateTimeOffset fetchedAt) =>
        SalesforceObjects.Select(o => new CachedTargetSchema("salesforce", o, Body("salesforce", o), fetchedAt))
            .Concat(HubSpotObjects.Select(o => new CachedTargetSchema("hubspot", o, Body("hubspot", o), fetchedAt)))
            .ToList();

    /// <summary>
    /// Serves every answer: Salesforce's describe under <c>/services/data/{apiVersion}/sobjects/…</c> for
    /// <paramref name="salesforceToken"/>, HubSpot's properties for <paramref name="hubSpotToken"/>.
    /// </summary>
    /// Each answer carries <paramref name="salesforceHeaders"/> / <paramref name="hubSpotHeaders"/> (e.g. the vendors'
    /// limit headers) when given.
    public static void Serve(WireMockServer server, string apiVersion, string salesforceToken, string hubSpotToken,
        IReadOnlyDictionary<string, string>? salesforceHeaders = null, IReadOnlyDictionary<string, string>? hubSpotHeaders = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        foreach (var name in SalesforceObjects)
        {
            server.Given(Request.Create().WithPath($"/services/data/{apiVersion}/sobjects/{name}/describe").UsingGet().WithHeader("Authorization", "Bearer " + salesforceToken))
                .RespondWith(Answer("application/json;charset=UTF-8", Body("salesforce", name), salesforceHeaders));
        }
        foreach (var name in HubSpotObjects)
        {
            server.Given(Request.Create().WithPath($"/crm/v3/properties/{name}").UsingGet().WithHeader("Authorization", "Bearer " + hubSpotToken))
                .RespondWith(Answer("application/json;charset=utf-8", Body("hubspot", name), hubSpotHeaders));
        }
    }

    private static IResponseBuilder Answer(string contentType, string body, IReadOnlyDictionary<string, string>? headers)
    {
        var response = Response.Create().WithHeader("Content-Type", contentType);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            response = response.WithHeader(name, value);
        return response.WithBody(body);
    }
}
