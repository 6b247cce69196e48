using FieldOps.Integration.Host.Tests.Infrastructure;

namespace FieldOps.Integration.Host.Tests.Admin;

/// <summary>The real process: an enabled admin API without a (long enough) key refuses to start with one line and exit code 2.</summary>
public sealed class AdminStartupTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Theory]
    [InlineData("Admin__Enabled", "true", "Admin:ApiKey: the admin API is enabled (Admin:Enabled=true) but no key is set")]
    [InlineData("Admin__ApiKey", "short", "Admin:ApiKey: the key has 5 characters; use at least 16.")]
    public async Task Run_AdminEnabledWithoutAUsableKey_PrintsOneLineAndExitsWith2(string key, string value, string expected)
    {
        var environment = new Dictionary<string, string>
        {
            ["Store__ConnectionString"] = $"Data Source={_directory.DatabasePath}",
            [key] = value,
        };
        await using var process = FieldOpsProcess.Start(_directory.Path, environment);

        Assert.Equal(2, await process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var line = Assert.Single(process.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal("Configuration error: " + expected, line[..Math.Min(line.Length, ("Configuration error: " + expected).Length)]);
    }

    public void Dispose() => _directory.Dispose();
}
