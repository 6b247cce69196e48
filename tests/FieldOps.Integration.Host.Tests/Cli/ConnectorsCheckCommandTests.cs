using FieldOps.Integration.Host.Tests.Infrastructure;

namespace FieldOps.Integration.Host.Tests.Cli;

/// <summary>
/// <c>fieldops connectors check</c> through the real executable knows every connector this build has, configured or not:
/// an unconfigured one is named with the section to add, never "no connector named …".
/// </summary>
public sealed class ConnectorsCheckCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task CheckQuickBooks_NotConfigured_NamesTheSectionAndExits1()
    {
        var (exit, output, error) = await RunAsync("connectors", "check", "quickbooks");

        Assert.True(exit == 1, output + error);
        Assert.Contains("quickbooks   config FAILED not configured (Connectors:QuickBooks missing or Enabled=false)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("no connector named", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAll_NothingConfigured_SkipsEveryConnectorOfTheBuildAndExits0()
    {
        var (exit, output, error) = await RunAsync("connectors", "check");

        Assert.True(exit == 0, output + error);
        foreach (var (name, section) in new[]
        {
            ("bamboohr", "BambooHR"), ("http", "Http"), ("hubspot", "HubSpot"), ("jobber", "Jobber"), ("quickbooks", "QuickBooks"), ("salesforce", "Salesforce"),
        })
        {
            Assert.Contains($"{name,-12} skipped not configured (Connectors:{section} missing or Enabled=false)", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CheckMistypedName_SuggestsTheNearestAndListsTheKnown()
    {
        var (exit, output, error) = await RunAsync("connectors", "check", "quickbook");

        Assert.True(exit == 2, output + error);
        Assert.Contains("no connector named 'quickbook' (did you mean 'quickbooks'?); known: bamboohr, http, hubspot, jobber, quickbooks, salesforce.", error, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] arguments)
    {
        await using var process = FieldOpsProcess.Start(_directory.Path, new Dictionary<string, string>(), arguments);
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exit, process.StandardOutput, process.StandardError);
    }

    public void Dispose() => _directory.Dispose();
}
