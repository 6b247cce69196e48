using System.Text.Json;

namespace FieldOps.Integration.Testing;

/// <summary>A vendor exchange from <c>Fixtures/</c> (copied from the shared fixtures): request and response.</summary>
public sealed class Fixture
{
    private Fixture(JsonElement root) => Root = root;

    /// <summary>The whole file.</summary>
    public JsonElement Root { get; }

    /// <summary>The response status.</summary>
    public int ResponseStatus => Root.GetProperty("response").GetProperty("status").GetInt32();

    /// <summary>The response body as JSON text, or null when the fixture has none.</summary>
    public string? ResponseBody =>
        Root.GetProperty("response").TryGetProperty("body", out var body) && body.ValueKind != JsonValueKind.Null ? body.GetRawText() : null;

    /// <summary>The response headers.</summary>
    public IReadOnlyDictionary<string, string> ResponseHeaders =>
        Root.GetProperty("response").TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object
            ? headers.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString())
            : new Dictionary<string, string>();

    /// <summary>Loads <c>Fixtures/{relativePath}</c> from the test's output folder.</summary>
    public static Fixture Load(string relativePath)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", relativePath);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return new Fixture(document.RootElement.Clone());
    }
}
