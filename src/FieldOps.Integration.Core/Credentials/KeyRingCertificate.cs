using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Credentials;

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

/// <summary>The key ring's certificate, loaded once from <see cref="KeyRingCertificateOptions"/>; null when none is configured.</summary>
public sealed class KeyRingCertificate(IOptions<KeyRingCertificateOptions> options) : IDisposable
{
    private readonly Lazy<X509Certificate2?> _certificate = new(() => Load(options.Value));

    /// <summary>The certificate (throws <see cref="OptionsValidationException"/> naming the key when it cannot be used).</summary>
    public X509Certificate2? Certificate => _certificate.Value;

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

    private static X509Certificate2? Load(KeyRingCertificateOptions options)
    {
        if (Problem(options) is { } problem)
            throw new OptionsValidationException(KeyRingCertificateOptions.SectionName, typeof(KeyRingCertificateOptions), [problem]);
        return string.IsNullOrWhiteSpace(options.CertificatePath)
            ? null
            : X509CertificateLoader.LoadPkcs12FromFile(Path.GetFullPath(options.CertificatePath), options.CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
    }

    public void Dispose()
    {
        if (_certificate.IsValueCreated)
            _certificate.Value?.Dispose();
    }
}
