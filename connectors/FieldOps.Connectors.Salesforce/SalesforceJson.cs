using System.Text.Json;
using FieldOps.Integration.Core.Text;
using Refit;

namespace FieldOps.Connectors.Salesforce;

/// <summary>Salesforce's JSON: camelCase envelopes (<c>allOrNone</c>, <c>errorCode</c>); sObject fields keep their API names as given.</summary>
internal static class SalesforceJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static RefitSettings RefitSettings() => new(new SystemTextJsonContentSerializer(Options)) { Buffered = true };

    /// <summary>
    /// An answer read as <typeparamref name="T"/>. Half a surrogate pair in its text (an escape such as <c>\ud83d</c>, a
    /// note cut through an emoji) is read as U+FFFD: System.Text.Json will not read it as a string, and the answer is
    /// lost otherwise (an id the write-back then does not keep as a cross-reference; an error's text).
    /// </summary>
    public static T? Read<T>(string body) => JsonSerializer.Deserialize<T>(JsonSurrogates.Mend(body), Options);

    /// <summary>Reads a REST error array; an empty list when the body is not one.</summary>
    public static IReadOnlyList<SalesforceError> ReadErrors(string body)
    {
        try
        {
            return body.TrimStart().StartsWith('[')
                ? Read<List<SalesforceError>>(body) ?? []
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>A bounded excerpt of a response body for the attempts history.</summary>
    public static string Excerpt(string body) => TextCut.Excerpt(body, 500);
}
