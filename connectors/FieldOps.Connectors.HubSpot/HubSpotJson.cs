using System.Text.Json;
using FieldOps.Integration.Core.Text;
using Refit;

namespace FieldOps.Connectors.HubSpot;

/// <summary>HubSpot's JSON is camelCase; property names inside <c>properties</c> are passed through as the flow wrote them.</summary>
internal static class HubSpotJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static RefitSettings RefitSettings() => new(new SystemTextJsonContentSerializer(Options)) { Buffered = true };

    /// <summary>
    /// An answer read as <typeparamref name="T"/>, or null when it is not a JSON object. Half a surrogate pair in its text
    /// (an escape such as <c>\ud83d</c>: a value cut through an emoji) is read as U+FFFD: System.Text.Json will not read
    /// it as a string, and the whole answer was lost (a success taken as one without an id and sent again, an error's
    /// text reduced to its status).
    /// </summary>
    public static T? Read<T>(string body)
        where T : class
    {
        try
        {
            return body.TrimStart().StartsWith('{') ? JsonSerializer.Deserialize<T>(JsonSurrogates.Mend(body), Options) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A bounded excerpt of a response body for the attempts history.</summary>
    public static string Excerpt(string body) => TextCut.Excerpt(body, 500);
}
