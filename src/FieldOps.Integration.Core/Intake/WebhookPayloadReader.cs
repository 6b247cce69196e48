using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace FieldOps.Integration.Core.Intake;

/// <summary>
/// Reads the JSON document out of a delivery: the body itself, or — for form-encoded Jobber deliveries, whose layout
/// Jobber does not document — the one form field that holds a JSON object.
/// </summary>
public static class WebhookPayloadReader
{
    private static readonly string[] PreferredFields = ["payload", "data", "body", "json", "webhook"];

    /// <summary>
    /// Parses the document; returns it with the JSON text when it differs from the body (form), else null.
    /// Throws <see cref="WebhookRejectedException"/> (400) with the parser's message.
    /// </summary>
    public static (JsonDocument Document, string? Payload) Read(string mediaType, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(mediaType);
        if (mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            var json = FindJsonField(Encoding.UTF8.GetString(body.Span));
            return (Parse(Encoding.UTF8.GetBytes(json)), json);
        }
        return (Parse(body), null);
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> json)
    {
        if (!System.Text.Unicode.Utf8.IsValid(json.Span))
            throw new WebhookRejectedException(400, "invalid text", "The body is not valid UTF-8.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw new WebhookRejectedException(400, "malformed JSON", ex.Message);
        }
        try
        {
            WebhookPayloadRules.Check(document.RootElement);
            return document;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    private static string FindJsonField(string form)
    {
        var fields = QueryHelpers.ParseQuery(form);
        foreach (var name in PreferredFields.Concat(fields.Keys))
        {
            if (fields.TryGetValue(name, out var values) && values.ToString().TrimStart() is ['{', ..] candidate)
                return candidate;
        }
        throw new WebhookRejectedException(400, "malformed form body",
            $"No form field holds a JSON document ({fields.Count} fields, e.g. {string.Join(", ", fields.Keys.Take(5))}).");
    }
}
