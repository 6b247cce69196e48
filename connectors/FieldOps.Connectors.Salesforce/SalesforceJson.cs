using System.Text.Json;
using Refit;

namespace FieldOps.Connectors.Salesforce;

/// <summary>Salesforce's JSON: camelCase envelopes (<c>allOrNone</c>, <c>errorCode</c>); sObject fields keep their API names as given.</summary>
internal static class SalesforceJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static RefitSettings RefitSettings() => new(new SystemTextJsonContentSerializer(Options)) { Buffered = true };

    /// <summary>Reads a REST error array; an empty list when the body is not one.</summary>
    public static IReadOnlyList<SalesforceError> ReadErrors(string body)
    {
        try
        {
            return body.TrimStart().StartsWith('[')
                ? JsonSerializer.Deserialize<List<SalesforceError>>(body, Options) ?? []
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>A bounded excerpt of a response body for the attempts history.</summary>
    public static string Excerpt(string body) => body.Length <= 500 ? body : body[..500] + "…";
}
