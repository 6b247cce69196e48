namespace FieldOps.Connectors.Http;

/// <summary>An OAuth 2.0 connection of the generic connector (<c>Connectors:Http:Connections:{name}</c>): the refresh-token grant.</summary>
public sealed class HttpConnectionOptions
{
    /// <summary>The token endpoint URL.</summary>
    public Uri? TokenUrl { get; set; }

    /// <summary>The client id.</summary>
    public string? ClientId { get; set; }

    /// <summary>The client secret (from the environment: <c>Connectors__Http__Connections__default__ClientSecret</c>).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>A refresh token used only to seed an empty token store; null for the client-credentials grant.</summary>
    public string? RefreshToken { get; set; }

    /// <summary>The scope to ask for, if the issuer needs one.</summary>
    public string? Scope { get; set; }
}
