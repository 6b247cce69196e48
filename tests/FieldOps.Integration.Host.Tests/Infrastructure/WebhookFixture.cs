using System.Text.Json;

namespace FieldOps.Integration.Host.Tests.Infrastructure;

/// <summary>A signed webhook delivery from <c>Fixtures/</c> (copied from the shared FSM fixtures).</summary>
public sealed record WebhookFixture(string Name, string Body, IReadOnlyDictionary<string, string> Headers, bool SignatureValid, string? DedupKey, string? DuplicateOf)
{
    public static WebhookFixture Load(string relativePath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", relativePath)));
        var root = document.RootElement;
        var expected = root.GetProperty("expected");
        return new WebhookFixture(
            relativePath,
            root.GetProperty("body").GetString()!,
            root.GetProperty("headers").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            expected.GetProperty("signature_valid").GetBoolean(),
            expected.TryGetProperty("dedup_key", out var key) ? key.GetString() : null,
            expected.TryGetProperty("duplicate_of", out var duplicate) ? duplicate.GetString() : null);
    }

    public HttpRequestMessage ToRequest(string source = "jobber")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/{source}")
        {
            Content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(Body)),
        };
        foreach (var (name, value) in Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(value);
            else
                request.Headers.TryAddWithoutValidation(name, value);
        }
        return request;
    }
}
