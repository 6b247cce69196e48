namespace FieldOps.Integration.Core.Credentials;

/// <summary>A bearer token for one connection, with the extra values the token response carried (e.g. Salesforce <c>instance_url</c>).</summary>
/// <param name="Value">The token itself. Never logged.</param>
/// <param name="IssuedAt">When we received it.</param>
/// <param name="ExpiresAt">When it stops working, if the issuer said.</param>
/// <param name="Properties">Other values of the token response worth keeping (<c>instance_url</c>, <c>realmId</c>, …).</param>
public sealed record AccessToken(string Value, DateTimeOffset IssuedAt, DateTimeOffset? ExpiresAt, IReadOnlyDictionary<string, string> Properties)
{
    /// <summary>Redacts the token so it cannot leak through a log or an exception message.</summary>
    public override string ToString() => $"AccessToken(issued {IssuedAt:O}, expires {ExpiresAt:O})";
}
