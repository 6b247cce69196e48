using FieldOps.Integration.Core.Credentials;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Storage.Credentials;

/// <summary>
/// The stored tokens' encryption: ASP.NET Core Data Protection, its key ring in <c>Credentials:KeysDirectory</c> (owner-only
/// files, <see cref="OwnerOnlyXmlRepository"/>), optionally encrypted at rest by a certificate (<see cref="KeyRingCertificate"/>).
/// </summary>
public static class TokenEncryption
{
    /// <summary>Adds the Data Protection <see cref="ITokenCipher"/> (once, however often it is called).</summary>
    public static IServiceCollection AddTokenEncryption(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ITokenCipher)))
            return services;
        services.AddDataProtection().SetApplicationName("FieldOps.Integration");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<CredentialsOptions>, ILoggerFactory>((keys, credentials, loggers) =>
            keys.XmlRepository = new OwnerOnlyXmlRepository(credentials.Value.KeysDirectory, loggers));
        services.TryAddSingleton<ITokenCipher, DataProtectionTokenCipher>();
        return services;
    }

    private sealed class DataProtectionTokenCipher(IDataProtectionProvider provider) : ITokenCipher
    {
        // The purpose string is part of every stored token: changing it makes existing tokens unreadable.
        private readonly IDataProtector _protector = provider.CreateProtector("FieldOps.Integration.Credentials.v1");

        public string Encrypt(string plain) => _protector.Protect(plain);

        public string Decrypt(string cipher) => _protector.Unprotect(cipher);
    }
}
