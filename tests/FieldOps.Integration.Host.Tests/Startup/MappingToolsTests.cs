using System.Text.Json;
using FieldOps.Integration.Host.Tests.Infrastructure;

namespace FieldOps.Integration.Host.Tests.Startup;

/// <summary>The admin's mapping tools through the real executable: exit codes 0 (fine), 1 (findings), 2 (usage).</summary>
public sealed class MappingToolsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Validate_ShippedMappings_ExitsWith0()
    {
        var (exit, output, error) = await RunAsync("validate", ShippedMappings);
        Assert.True(exit == 0, output + error);
    }

    [Fact]
    public async Task Validate_BrokenExpression_PrintsFileLineColumnAndExitsWith1()
    {
        var copy = CopyOfShippedMappings();
        var flow = Path.Combine(copy, "flows", "customer-hubspot.yaml");
        var lines = File.ReadAllLines(flow);
        var target = Array.FindIndex(lines, l => l.Contains("idempotencyKey:", StringComparison.Ordinal));
        Assert.True(target >= 0, "the shipped flow has an idempotencyKey line to break");
        lines[target] = lines[target][..(lines[target].IndexOf(':', StringComparison.Ordinal) + 1)] + " \"customer.(\"";
        File.WriteAllLines(flow, lines);

        var (exit, output, error) = await RunAsync("validate", copy);

        Assert.Equal(1, exit);
        Assert.Contains($"customer-hubspot.yaml:{target + 1}:", output + error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$lowercase(entity.emails[0])", "$uppercas(entity.emails[0])", "unknown function $uppercas (did you mean $uppercase?)")]
    [InlineData("type: CustomerUpserted", "type: CustomerUpdated", "unknown event type 'CustomerUpdated' (did you mean 'CustomerUpserted'?); the canonical types are CustomerUpserted,")]
    [InlineData("connector: hubspot", "connector: hubspt", "'hubspt' is not allowed (did you mean 'hubspot'?); allowed: ")]
    public async Task Validate_OneBrokenFile_NamesLineAndSuggestsTheNearest(string original, string broken, string expected)
    {
        var copy = CopyOfShippedMappings();
        var flow = Path.Combine(copy, "flows", "customer-hubspot.yaml");
        var lines = File.ReadAllLines(flow);
        var target = Array.FindIndex(lines, l => l.Contains(original, StringComparison.Ordinal));
        Assert.True(target >= 0, $"the shipped flow has '{original}' to break");
        lines[target] = lines[target].Replace(original, broken, StringComparison.Ordinal);
        File.WriteAllLines(flow, lines);

        var (fileExit, fileOutput, fileError) = await RunAsync("validate", flow);
        var (folderExit, folderOutput, _) = await RunAsync("validate", copy);

        Assert.True(fileExit == 1, fileOutput + fileError);
        Assert.Contains($"customer-hubspot.yaml:{target + 1}:", fileOutput, StringComparison.Ordinal);
        Assert.Contains(expected, fileOutput, StringComparison.Ordinal);
        Assert.Equal(1, folderExit);
        Assert.Contains(expected, folderOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_FilesAndFolders_AllOk_Exits0()
    {
        var (exit, output, error) = await RunAsync("validate", Path.Combine(ShippedMappings, "flows", "customer-hubspot.yaml"), Path.Combine(ShippedMappings, "profiles"));
        Assert.True(exit == 0, output + error);
    }

    [Fact]
    public async Task Map_JobberJobClosedSample_PrintsOperationsAsJsonWithoutAStore()
    {
        var sample = Path.Combine(ShippedMappings, "samples", "jobber-job-closed.json");
        var (exit, output, error) = await RunAsync("map", "--event", sample, "--source", "jobber", "--mappings", ShippedMappings);

        Assert.True(exit == 0, output + error);
        using var document = JsonDocument.Parse(output[output.IndexOfAny(['[', '{'])..]);
        Assert.Contains("quickbooks", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory.Path, "data", "fieldops.db")), "map must not touch the store");
    }

    [Fact]
    public async Task Test_ShippedMappingTests_Pass()
    {
        var (exit, output, error) = await RunAsync("test", ShippedMappings);
        Assert.True(exit == 0, output + error);
    }

    [Fact]
    public async Task Test_Update_RewritesTheFailingExpectationsAndThenPasses()
    {
        var copy = CopyOfShippedMappings();
        var flow = Path.Combine(copy, "flows", "customer-hubspot.yaml");
        var text = File.ReadAllText(flow);
        Assert.Contains("objectType: contacts", text, StringComparison.Ordinal);
        File.WriteAllText(flow, text.Replace("objectType: contacts", "objectType: contactz", StringComparison.Ordinal));

        var (failing, before, _) = await RunAsync("test", copy);
        var (updating, updated, updateError) = await RunAsync("test", copy, "--update");
        var (after, afterOutput, afterError) = await RunAsync("test", copy);

        Assert.Equal(1, failing);
        Assert.Contains("expected \"contacts\", got \"contactz\"", before, StringComparison.Ordinal);
        Assert.True(updating == 0, updated + updateError);
        Assert.Contains("UPDATED", updated, StringComparison.Ordinal);
        Assert.True(after == 0, afterOutput + afterError);
        var test = File.ReadAllText(Path.Combine(copy, "tests", "canonical-customer-upserted.test.yaml"));
        Assert.Contains("\"objectType\": \"contactz\"", test, StringComparison.Ordinal);
        Assert.StartsWith("# A canonical CustomerUpserted", test, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_WithoutEvent_IsAUsageErrorWithExit2()
    {
        var (exit, _, error) = await RunAsync("map");
        Assert.Equal(2, exit);
        Assert.Contains("usage: fieldops map", error, StringComparison.Ordinal);
    }

    private static string ShippedMappings => Path.Combine(RepositoryRoot(), "mappings");

    private string CopyOfShippedMappings()
    {
        var target = Path.Combine(_directory.Path, "mappings");
        foreach (var file in Directory.EnumerateFiles(ShippedMappings, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(ShippedMappings, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
        return target;
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] arguments)
    {
        await using var process = FieldOpsProcess.Start(_directory.Path, new Dictionary<string, string>(), arguments);
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exit, process.StandardOutput, process.StandardError);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FieldOps.Integration.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException("The repository root (with FieldOps.Integration.sln) was not found above " + AppContext.BaseDirectory);
    }

    public void Dispose() => _directory.Dispose();
}
