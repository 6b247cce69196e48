using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Storage.Credentials;

/// <summary>
/// The certificate that encrypts the Data Protection key ring at rest (<c>DataProtection</c> section): a PKCS#12 file
/// with its private key, and the file's password — given by environment variable or secret store, never in a file.
/// </summary>
public sealed class KeyRingCertificateOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>The .pfx/.p12 file. Unset: the key ring is stored unencrypted (owner-only permissions).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The file's password (<c>DataProtection__CertificatePassword</c>).</summary>
    public string? CertificatePassword { get; set; }
}

/// <summary>The key ring's certificate: checked and applied when the service is composed (so a bad one stops the start).</summary>
public static class KeyRingCertificate
{
    /// <summary>
    /// With <c>DataProtection:CertificatePath</c> set, new Data Protection keys are written encrypted to that certificate
    /// and read back with it (<c>ProtectKeysWithCertificate</c>). Throws <see cref="OptionsValidationException"/> with one
    /// line naming the key when the file is missing, unreadable, or the password is wrong.
    /// </summary>
    public static IServiceCollection AddKeyRingCertificate(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(KeyRingCertificateOptions.SectionName).Get<KeyRingCertificateOptions>() ?? new KeyRingCertificateOptions();
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
            return services;
        if (Problem(options) is { } problem)
            throw new OptionsValidationException(KeyRingCertificateOptions.SectionName, typeof(KeyRingCertificateOptions), [problem]);
        // Kept for the life of the process: Data Protection encrypts and decrypts keys with it.
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(Path.GetFullPath(options.CertificatePath), options.CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
        services.AddDataProtection().ProtectKeysWithCertificate(certificate);
        return services;
    }

    /// <summary>Why the configured certificate cannot be used, as one line naming the key; null when it can (or none is set).</summary>
    public static string? Problem(KeyRingCertificateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
            return null;
        var key = $"{KeyRingCertificateOptions.SectionName}:{nameof(KeyRingCertificateOptions.CertificatePath)}";
        var path = Path.GetFullPath(options.CertificatePath);
        if (!File.Exists(path))
            return $"{key}: no certificate file at {path}.";
        try
        {
            using var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
            using var rsa = certificate.HasPrivateKey ? certificate.GetRSAPrivateKey() : null;
            return rsa is null
                ? $"{key}: the certificate in {path} has no RSA private key; the key ring needs one to encrypt and decrypt its keys."
                : null;
        }
        catch (CryptographicException ex) when (ex.Message.Contains("password", StringComparison.OrdinalIgnoreCase))
        {
            return $"{key}: cannot open {path}: the password ({KeyRingCertificateOptions.SectionName}:{nameof(KeyRingCertificateOptions.CertificatePassword)}, " +
                $"e.g. the environment variable {KeyRingCertificateOptions.SectionName}__{nameof(KeyRingCertificateOptions.CertificatePassword)}) is wrong or missing.";
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return $"{key}: cannot read {path} as a PKCS#12 (.pfx) certificate with its private key: {ex.Message}";
        }
    }
}
