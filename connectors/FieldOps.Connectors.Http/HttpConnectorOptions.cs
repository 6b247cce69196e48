namespace FieldOps.Connectors.Http;

/// <summary>The generic HTTP connector (<c>Connectors:Http</c> section), for systems we have no connector for.</summary>
public sealed class HttpConnectorOptions
{
    public const string SectionName = "Connectors:Http";

    /// <summary>The targets, by the name operations give in <c>params.endpoint</c>.</summary>
    public Dictionary<string, HttpEndpointOptions> Endpoints { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>OAuth connections, by connection name (<c>default</c>).</summary>
    public Dictionary<string, HttpConnectionOptions> Connections { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Each call's timeout; a timeout is transient. <value>The default value is 30 seconds.</value></summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
