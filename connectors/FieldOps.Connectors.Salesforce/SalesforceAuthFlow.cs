namespace FieldOps.Connectors.Salesforce;

/// <summary>How the connector gets an access token from Salesforce (both are server-to-server, neither has a refresh token).</summary>
public enum SalesforceAuthFlow
{
    /// <summary>OAuth 2.0 client credentials: consumer key and secret of an External Client App with a run-as user.</summary>
    ClientCredentials,

    /// <summary>OAuth 2.0 JWT bearer: a JWT signed RS256 with the app's private key, for a pre-approved user.</summary>
    JwtBearer,
}
