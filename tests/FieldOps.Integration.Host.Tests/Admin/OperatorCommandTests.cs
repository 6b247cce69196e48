using System.Text.Json;
using FieldOps.Integration.Host.Tests.Infrastructure;

namespace FieldOps.Integration.Host.Tests.Admin;

/// <summary><c>fieldops deadletters</c> and <c>fieldops reroute</c> as real processes on the configured store (no HTTP).</summary>
public sealed class OperatorCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private async Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] arguments)
    {
        var environment = new Dictionary<string, string> { ["Store__ConnectionString"] = $"Data Source={_directory.DatabasePath}" };
        await using var process = FieldOpsProcess.Start(_directory.Path, environment, arguments);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return (exitCode, process.StandardOutput, process.StandardError);
    }

    [Fact]
    public async Task DeadLetters_ListReplayDiscard_WorkOnTheStoreWithExitCodes()
    {
        await DeadLetterSeed.MigrateAsync(_directory.DatabasePath);
        var (_, first) = await DeadLetterSeed.AddAsync(_directory.DatabasePath, "Permanent", rows: 2);
        var (_, second) = await DeadLetterSeed.AddAsync(_directory.DatabasePath, "Transient", rows: 1);

        var list = await RunAsync("deadletters", "list", "--class", "Permanent", "--json");
        Assert.Equal(0, list.ExitCode);
        Assert.Equal([first[0]], JsonDocument.Parse(list.Out).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        var groups = await RunAsync("deadletters", "groups");
        Assert.Equal(0, groups.ExitCode);
        Assert.Contains("Transient", groups.Out, StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync("deadletters", "replay", second[0])).ExitCode);
        Assert.Equal("pending", DeadLetterSeed.State(_directory.DatabasePath, second[0]));
        Assert.Equal(1, (await RunAsync("deadletters", "replay", second[0])).ExitCode);
        Assert.Equal(2, (await RunAsync("deadletters", "discard", first[0])).ExitCode);
        Assert.Equal(0, (await RunAsync("deadletters", "discard", first[0], "--reason", "customer merged by hand")).ExitCode);
        Assert.Equal(("discarded", "pending"), (DeadLetterSeed.State(_directory.DatabasePath, first[0]), DeadLetterSeed.State(_directory.DatabasePath, first[1])));
        Assert.Equal(2, (await RunAsync("deadletters", "replay")).ExitCode);
        Assert.Equal(2, (await RunAsync("deadletters", "list", "--from", "yesterday")).ExitCode);
    }

    [Fact]
    public async Task Reroute_UnknownEventOrBadArguments_ExitsWith1Or2()
    {
        await DeadLetterSeed.MigrateAsync(_directory.DatabasePath);
        Directory.CreateDirectory(Path.Combine(_directory.Path, "mappings", "profiles"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "mappings", "profiles", "canonical.yaml"),
            Path.Combine(_directory.Path, "mappings", "profiles", "canonical.yaml"));

        var missing = await RunAsync("reroute", "4242", "--dry-run");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("there is no inbox event 4242", missing.Out, StringComparison.Ordinal);
        Assert.Equal(2, (await RunAsync("reroute", "not-a-number")).ExitCode);
    }

    public void Dispose() => _directory.Dispose();
}
