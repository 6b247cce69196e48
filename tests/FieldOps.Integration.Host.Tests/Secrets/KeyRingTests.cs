using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Host.Tests.Infrastructure;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Storage.Credentials;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FieldOps.Integration.Host.Tests.Secrets;

/// <summary>
/// The Data Protection key ring is made by the service on its first start, readable by its user only; a secret
/// written into appsettings.json starts the service with a warning that names the key (never the value).
/// </summary>
public sealed class KeyRingTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task FirstStart_CreatesTheKeyRing_OwnerOnly()
    {
        var keys = Path.Combine(_directory.Path, "keys");
        Assert.False(Directory.Exists(keys));
        var environment = new Dictionary<string, string> { ["Store__ConnectionString"] = $"Data Source={_directory.DatabasePath}" };
        await using (var process = FieldOpsProcess.Start(_directory.Path, environment))
        {
            await process.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!Directory.EnumerateFiles(keys, "*.xml").Any() && DateTime.UtcNow < deadline)
                await Task.Delay(100);
        }
        var file = Assert.Single(Directory.EnumerateFiles(keys, "*.xml"));
        if (OperatingSystem.IsWindows())
            return;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [Fact]
    public async Task SecretInAppSettings_StartsWithAWarningNamingTheKey()
    {
        const string value = "file-secret-Qm38vLx2";
        await File.WriteAllTextAsync(Path.Combine(_directory.Path, "appsettings.json"),
            $$"""{ "Sources": { "acme": { "Kind": "hmac", "Secret": "{{value}}", "Signature": { "Header": "X-Sig" } } } }""");
        var environment = new Dictionary<string, string> { ["Store__ConnectionString"] = $"Data Source={_directory.DatabasePath}" };
        await using var process = FieldOpsProcess.Start(_directory.Path, environment);
        await process.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput + process.StandardError;
        Assert.Contains("Sources:acme:Secret is set in appsettings.json", output, StringComparison.Ordinal);
        Assert.Contains("Sources__acme__Secret", output, StringComparison.Ordinal);
        Assert.DoesNotContain(value, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertificateConfigured_KeysAreWrittenEncrypted_AndTokensStillDecryptAfterRestart()
    {
        const string password = "pfx-pass-Vn62kQ8w";
        const string token = "stored-access-Lq47zPn3";
        var certificate = WriteSelfSignedCertificate(password);
        var keys = Path.Combine(_directory.Path, "keys");
        var environment = new Dictionary<string, string>
        {
            ["Store__ConnectionString"] = $"Data Source={_directory.DatabasePath}",
            ["DataProtection__CertificatePath"] = certificate,
            ["DataProtection__CertificatePassword"] = password,
        };
        await using (var first = FieldOpsProcess.Start(_directory.Path, environment))
        {
            await first.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!Directory.EnumerateFiles(keys, "*.xml").Any() && DateTime.UtcNow < deadline)
                await Task.Delay(100);
        }

        // On disk the key is encrypted to the certificate: no master key in the clear.
        var xml = await File.ReadAllTextAsync(Assert.Single(Directory.EnumerateFiles(keys, "*.xml")));
        Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
        Assert.Contains("EncryptedXmlDecryptor", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);

        // A token stored with that key ring (as a refresh stores it) ...
        await StoreTokenAsync(environment, token);
        // ... is read back by the restarted service, which decrypts it with the certificate (it tells how many it knows).
        await using (var second = FieldOpsProcess.Start(_directory.Path, environment))
        {
            await second.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!second.StandardOutput.Contains("1 stored tokens known to the scrubber", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
                await Task.Delay(100);
            Assert.Contains("1 stored tokens known to the scrubber", second.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain(password, second.StandardOutput + second.StandardError, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CertificateWithAWrongPasswordOrNotACertificate_OneLineNamingTheKey_Exit2()
    {
        var certificate = WriteSelfSignedCertificate("right-pass-Hd72");
        var garbage = Path.Combine(_directory.Path, "garbage.pfx");
        await File.WriteAllTextAsync(garbage, "not a certificate");
        foreach (var (path, password, expected) in new[]
                 {
                     (certificate, "wrong-pass-Zk19", "DataProtection:CertificatePath: cannot open " + certificate + ": the password (DataProtection:CertificatePassword"),
                     (garbage, "any", "DataProtection:CertificatePath: cannot read " + garbage + " as a PKCS#12 (.pfx) certificate"),
                 })
        {
            var environment = new Dictionary<string, string>
            {
                ["Store__ConnectionString"] = $"Data Source={_directory.DatabasePath}",
                ["DataProtection__CertificatePath"] = path,
                ["DataProtection__CertificatePassword"] = password,
            };
            await using var process = FieldOpsProcess.Start(_directory.Path, environment);
            Assert.Equal(2, await process.WaitForExitAsync(TimeSpan.FromSeconds(90)));
            var line = Assert.Single(process.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.StartsWith("Configuration error: ", line, StringComparison.Ordinal);
            Assert.Contains(expected, line, StringComparison.Ordinal);
            Assert.DoesNotContain(password, process.StandardOutput + process.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", process.StandardOutput + process.StandardError, StringComparison.Ordinal);
        }
    }

    /// <summary>A self-signed RSA certificate with its private key, as a password-protected .pfx in the test folder.</summary>
    private string WriteSelfSignedCertificate(string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=fieldops-key-ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_directory.Path, $"key-ring-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    /// <summary>Saves <paramref name="token"/> as a connection's access token the way the service does, with the service's settings.</summary>
    private async Task StoreTokenAsync(Dictionary<string, string> environment, string token)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(environment.ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value))
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Credentials:KeysDirectory"] = Path.Combine(_directory.Path, "keys") })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddFieldOpsStore().AddDispatchStores().AddFieldOpsCredentials().AddKeyRingCertificate(configuration);
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<ITokenStore>();
        var protector = provider.GetRequiredService<TokenProtector>();
        var now = DateTimeOffset.UtcNow;
        Assert.True(await store.TryAcquireRefreshLeaseAsync("http:default", "test", now, TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.True(await store.SaveRefreshedAsync(new StoredCredential("http:default", protector.Protect(token), null, protector.ProtectProperties(new Dictionary<string, string>()),
            now, now.AddHours(1), null), "test", now, CancellationToken.None));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public void Dispose() => _directory.Dispose();
}
