using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>QuickBooks speaks PascalCase JSON (<c>DisplayName</c>, <c>SyncToken</c>); the 401 body alone is lower-case.</summary>
internal static class QuickBooksJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = null,
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    public static RefitSettings RefitSettings() => new(new SystemTextJsonContentSerializer(Options));
}
