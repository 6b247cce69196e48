using System.Text.Json;

namespace FieldOps.Connectors.BambooHR.Dtos;

/// <summary>BambooHR's RFC 7807-style error body (<c>ProblemDetailsResponse</c>).</summary>
internal sealed class BambooHRProblem
{
    public string? Type { get; set; }
    public string? Title { get; set; }
    public int? Status { get; set; }
    public string? Detail { get; set; }
    public string? Code { get; set; }

    /// <summary>Field → message; an object in practice, kept raw because the spec does not pin its shape.</summary>
    public JsonElement? Fields { get; set; }

    /// <summary>An older-style body some endpoints send: <c>{"error": {"code": 429, "message": "…"}}</c>, even under HTTP 200.</summary>
    public BambooHRLegacyError? Error { get; set; }

    public IReadOnlyList<string> FieldNames =>
        Fields is { ValueKind: JsonValueKind.Object } fields ? fields.EnumerateObject().Select(p => p.Name).ToList() : [];

    public override string ToString()
    {
        var fields = Fields is { ValueKind: JsonValueKind.Object } f
            ? " [" + string.Join(", ", f.EnumerateObject().Select(p => $"{p.Name}: {p.Value}")) + "]"
            : "";
        var code = string.IsNullOrEmpty(Code) ? "" : $" ({Code})";
        return $"{Title}{code}: {Detail}{fields}";
    }
}

/// <summary>The <c>error</c> object of BambooHR's older bodies.</summary>
internal sealed class BambooHRLegacyError
{
    public int? Code { get; set; }
    public string? Message { get; set; }
}

/// <summary>One item of the bulk Hours answer: <c>{"success": false, "response": {"id": …, "message": …}}</c>.</summary>
internal sealed class BambooHRBulkItem
{
    public bool Success { get; set; }
    public BambooHRBulkItemResponse? Response { get; set; }
}

/// <summary>The id written, or the reason an item failed.</summary>
internal sealed class BambooHRBulkItemResponse
{
    public string? Id { get; set; }
    public string? Message { get; set; }
}
