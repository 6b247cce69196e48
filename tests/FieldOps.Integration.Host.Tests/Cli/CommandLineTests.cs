using System.Net;
using System.Net.Sockets;
using FieldOps.Integration.Host.Cli;
using FieldOps.Integration.Host.Tests.Infrastructure;

namespace FieldOps.Integration.Host.Tests.Cli;

/// <summary>The command line through the real executable: help and version touch nothing; mistakes get the nearest name.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    /// <summary>Every verb path, from the table the dispatcher uses, so a new verb is covered without a new test.</summary>
    public static TheoryData<string> VerbPaths()
    {
        var data = new TheoryData<string>();
        void Walk(CliVerb verb, string prefix)
        {
            foreach (var child in verb.Verbs)
            {
                var path = (prefix + " " + child.Name).Trim();
                data.Add(path);
                Walk(child, path);
            }
        }
        Walk(CliVerbs.Root, "");
        return data;
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    [InlineData("run --help")]
    [InlineData("help deadletters replay")]
    [InlineData("connectors check -h")]
    [InlineData("sources rewind acme --help")]
    public async Task Help_PrintsUsageExits0AndCreatesNothing(string arguments)
    {
        var (exit, output, error) = await RunAsync(arguments.Split(' '));

        Assert.True(exit == 0, output + error);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.Path));
    }

    [Theory]
    [MemberData(nameof(VerbPaths))]
    public async Task Help_OfEachVerb_HasDescriptionOptionsAndExample(string path)
    {
        var (exit, output, error) = await RunAsync([.. path.Split(' '), "--help"]);

        Assert.True(exit == 0, output + error);
        var firstLine = output.Split('\n')[0];
        Assert.StartsWith($"fieldops {path}: ", firstLine, StringComparison.Ordinal);
        Assert.True(firstLine.Length > $"fieldops {path}: ".Length + 10, "a description follows the name: " + firstLine);
        Assert.Contains("Options:", output, StringComparison.Ordinal);
        Assert.Contains("-h, --help", output, StringComparison.Ordinal);
        Assert.Contains("Example", output, StringComparison.Ordinal);
        Assert.Contains("  fieldops " + path.Split(' ')[0], output[output.IndexOf("Example", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.Path));
    }

    [Fact]
    public async Task Version_PrintsVersionExits0AndCreatesNothing()
    {
        var (exit, output, error) = await RunAsync("--version");

        Assert.True(exit == 0, output + error);
        Assert.Matches(@"^fieldops \d+\.\d+\.\d+", output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.Path));
    }

    [Theory]
    [InlineData("valdate", "unknown command 'valdate' (did you mean 'validate'?)")]
    [InlineData("deadletters lst", "unknown sub-command 'lst' (did you mean 'list'?)")]
    [InlineData("test --updat", "unknown option '--updat' (did you mean '--update'?)")]
    [InlineData("reroute 5 --dryrun", "unknown option '--dryrun' (did you mean '--dry-run'?)")]
    [InlineData("run --url http://127.0.0.1:1", "unknown option '--url' (did you mean '--urls'?)")]
    [InlineData("deadletters list --connecter hubspot", "unknown option '--connecter' (did you mean '--connector'?)")]
    public async Task Mistyped_SuggestsTheNearestAndExits2(string arguments, string expected)
    {
        var (exit, output, error) = await RunAsync(arguments.Split(' '));

        Assert.True(exit == 2, output + error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.Path));
    }

    [Fact]
    public async Task Run_PortInUse_IsOneLineAndExit2()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        var (exit, output, error) = await RunAsync("run", "--urls", url);

        Assert.True(exit == 2, output + error);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"cannot listen on {url}: the address is already in use", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_directory.Path, "data")), "nothing started, so no database was created");
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] arguments)
    {
        await using var process = FieldOpsProcess.Start(_directory.Path, new Dictionary<string, string>(), arguments);
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exit, process.StandardOutput, process.StandardError);
    }

    public void Dispose() => _directory.Dispose();
}
