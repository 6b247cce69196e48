namespace FieldOps.Connectors.Http;

/// <summary>One target the admin configured (<c>Connectors:Http:Endpoints:{name}</c>).</summary>
public sealed class HttpEndpointOptions
{
    /// <summary>The URL, with <c>{{…}}</c> placeholders (values are URL-escaped), e.g. <c>https://erp.example/api/jobs/{{idempotencyKey}}</c>.</summary>
    public string Url { get; set; } = "";

    /// <summary>The HTTP method. <value>The default value is <c>POST</c>.</value></summary>
    public string Method { get; set; } = "POST";

    /// <summary>Request headers, values templated like the URL (unescaped). Put secrets in the environment, not the file.</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The body template: <c>{{fields.x}}</c> inserts a value as JSON (string values quoted), <c>{{fields}}</c> the whole
    /// object. <value>The default value is null: the operation's <c>fields</c> object is sent as the JSON body.</value>
    /// </summary>
    public string? Body { get; set; }

    /// <summary>The body's content type. <value>The default value is <c>application/json</c>.</value></summary>
    public string ContentType { get; set; } = "application/json";

    /// <summary>Statuses that mean delivered. <value>The default value is empty: any 2xx.</value></summary>
    public List<int> SuccessStatusCodes { get; set; } = [];

    /// <summary>Statuses that are transient besides the default 408, 429 and 5xx (e.g. a 409 "busy").</summary>
    public List<int> RetryStatusCodes { get; set; } = [];

    /// <summary>
    /// Sends <c>Authorization: Bearer</c> from the token store for <c>http:{connection}</c> (configured under
    /// <c>Connectors:Http:Connections</c>); a 401 is then auth-expired. <value>The default value is <c>false</c>.</value>
    /// </summary>
    public bool OAuth { get; set; }

    /// <summary>The response JSON property holding the target's id (dotted path). <value>The default value is <c>id</c>.</value></summary>
    public string TargetIdPath { get; set; } = "id";

    /// <summary>The id the response carries when <see cref="TargetIdPath"/> finds none: a template (e.g. <c>{{idempotencyKey}}</c>), or null.</summary>
    public string? FallbackTargetId { get; set; }

    /// <summary>
    /// True when the target has no idempotency means (each call creates something): the dispatcher then sends it at most
    /// once and, after a crash, asks <see cref="EffectCheckUrl"/> first. <value>The default value is <c>false</c>.</value>
    /// </summary>
    public bool NonIdempotent { get; set; }

    /// <summary>
    /// A GET URL template that finds the record an interrupted call may have created (e.g. by <c>{{id}}</c>, which the body
    /// should carry): 2xx means it exists (its id read by <see cref="TargetIdPath"/>), 404 means it does not. Without it,
    /// an interrupted non-idempotent call is dead-lettered as outcome unknown.
    /// </summary>
    public string? EffectCheckUrl { get; set; }
}
