using FieldOps.Integration.Host.Tests.Infrastructure;

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

    public void Dispose() => _directory.Dispose();
}
