using FieldOps.Integration.Core.Credentials;

namespace FieldOps.Integration.Core.Sources;

/// <summary>
/// Makes the <see cref="ITokenEndpoint"/> of a source's connection (<c>jobber:{source}</c>, <c>rest:{source}</c>) when
/// it is first asked for, from the options as they are then — so a source needs no registration of its own.
/// </summary>
public interface ISourceTokenEndpointFactory
{
    /// <summary>The endpoint for <paramref name="connection"/>, or null when the connection is not this adapter's.</summary>
    ITokenEndpoint? Create(IServiceProvider services, string connection);
}
