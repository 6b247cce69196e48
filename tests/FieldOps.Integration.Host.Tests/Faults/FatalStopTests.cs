using FieldOps.Integration.Host.Tests.Infrastructure;

namespace FieldOps.Integration.Host.Tests.Faults;

/// <summary>An unexpected fault that escapes a background service stops the real process with a non-zero exit code.</summary>
public sealed class FatalStopTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Run_WhenABackgroundServiceFails_StopsWithExitCode1AndNamesIt()
    {
        var environment = new Dictionary<string, string>
        {
            ["Store__ConnectionString"] = $"Data Source={_directory.DatabasePath}",
            ["FIELDOPS_INJECT_FAULT"] = "background-service",
        };
        await using var process = FieldOpsProcess.Start(_directory.Path, environment);

        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode); // 0 would keep Restart=on-failure from restarting the service
        Assert.Contains("fieldops stopped: InjectedFault failed: fault injected by FIELDOPS_INJECT_FAULT", process.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
