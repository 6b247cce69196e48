using FieldOps.Integration.Host.Tests.Infrastructure;

namespace FieldOps.Integration.Host.Tests.Regressions;

/// <summary>Regression: `fieldops sources` run from the wrong folder created and migrated an empty database and printed an empty table with exit 0.</summary>
public sealed class ReadVerbsCreateNoStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Theory]
    [InlineData("sources")]
    [InlineData("deadletters list")]
    [InlineData("deadletters groups")]
    public async Task ReadVerb_NoDatabase_NamesPathAndFolderExits2AndCreatesNothing(string arguments)
    {
        await using var process = FieldOpsProcess.Start(_directory.Path, new Dictionary<string, string>(), arguments.Split(' '));
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        var expectedPath = Path.Combine(_directory.Path, "data", "fieldops.db");
        Assert.True(exit == 2, process.StandardOutput + process.StandardError);
        Assert.Contains($"no database at {expectedPath}", process.StandardError, StringComparison.Ordinal);
        Assert.Contains($"looked for from {_directory.Path}", process.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_directory.Path, "data")), "a read verb must not create the store");
    }

    public void Dispose() => _directory.Dispose();
}
