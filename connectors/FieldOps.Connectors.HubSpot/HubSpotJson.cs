using System.Text.Json;
using Refit;

namespace FieldOps.Connectors.HubSpot;

/// <summary>HubSpot's JSON is camelCase; property names inside <c>properties</c> are passed through as the flow wrote them.</summary>
internal static class HubSpotJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static RefitSettings RefitSettings() => new(new SystemTextJsonContentSerializer(Options)) { Buffered = true };

    public static T? Read<T>(string body)
        where T : class
    {
        try
        {
            return body.TrimStart().StartsWith('{') ? JsonSerializer.Deserialize<T>(body, Options) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A bounded excerpt of a response body for the attempts history.</summary>
    public static string Excerpt(string body) => body.Length <= 500 ? body : body[..500] + "…";
}
