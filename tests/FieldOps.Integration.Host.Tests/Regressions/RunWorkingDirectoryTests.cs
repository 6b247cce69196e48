using System.Diagnostics;

namespace FieldOps.Integration.Host.Tests.Regressions;

/// <summary>
/// The README's run command, <c>dotnet run --project src/FieldOps.Integration.Host</c>, must run the service from the
/// repository root: that is where appsettings.json, mappings/ and data/ are. Without RunWorkingDirectory, dotnet run
/// started it in the project folder, with no mappings and a database under src/.
/// </summary>
public sealed class RunWorkingDirectoryTests
{
    [Fact]
    public async Task DotnetRun_HostProject_RunsFromTheRepositoryRoot()
    {
        var root = RepositoryRoot();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        foreach (var argument in new[] { "msbuild", Path.Combine("src", "FieldOps.Integration.Host", "FieldOps.Integration.Host.csproj"), "-getProperty:RunWorkingDirectory", "-nologo" })
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = (await process.StandardOutput.ReadToEndAsync()).Trim();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.False(string.IsNullOrEmpty(output), "RunWorkingDirectory is not set on the host project");
        Assert.Equal(Path.TrimEndingDirectorySeparator(root), Path.TrimEndingDirectorySeparator(Path.GetFullPath(output)));
        Assert.True(File.Exists(Path.Combine(output, "appsettings.json")));
        Assert.True(Directory.Exists(Path.Combine(output, "mappings")));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FieldOps.Integration.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException("The repository root was not found above " + AppContext.BaseDirectory);
    }
}
