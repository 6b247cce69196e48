namespace FieldOps.Sources.Rest;

/// <summary>How REST poll requests authenticate.</summary>
public enum RestAuth
{
    /// <summary>No credentials.</summary>
    None,

    /// <summary>A static key in a header (<see cref="RestPollOptions.AuthHeader"/> = <see cref="RestPollOptions.ApiKey"/>).</summary>
    Header,

    /// <summary>
    /// OAuth 2.0 bearer tokens from the credentials store (connection <c>rest:{source}</c>): client credentials, or
    /// the refresh-token grant when <c>Sources:{name}:RefreshToken</c> seeds one.
    /// </summary>
    OAuth,
}
