namespace FieldOps.Connectors.HubSpot;

/// <summary>How the connector authenticates to HubSpot.</summary>
public enum HubSpotAuthMode
{
    /// <summary>A private-app (static) token, <c>Bearer pat-…</c>: no expiry, so a 401 means it was revoked.</summary>
    PrivateApp,

    /// <summary>OAuth 2.0: short-lived access tokens refreshed before <c>expires_in</c> through the credentials store.</summary>
    OAuth,
}
