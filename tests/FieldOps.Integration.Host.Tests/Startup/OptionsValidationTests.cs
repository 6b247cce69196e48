using FieldOps.Integration.Host.Tests.Infrastructure;

namespace FieldOps.Integration.Host.Tests.Startup;

/// <summary>A bad configuration value stops the real process with one line naming the key, and exit code 2.</summary>
public sealed class OptionsValidationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public static TheoryData<string, string, string, string> BadSettings => new()
    {
        // key, value, another key needed to reach the check, expected text
        { "Sources__jobber__Kind", "jobber", "Sources__jobber__WebhookOnly=true", "Sources:jobber:Secret: is required" },
        // Accepting webhooks that can never be routed while readiness says Healthy was the trap (issue 18).
        { "Sources__jobber__Kind", "jobber", "Sources__jobber__Secret=s3cr3t-value;Sources__jobber__ApiBaseUrl=https://api.getjobber.com/api/",
            "Sources:jobber: a 'jobber' webhook names only an id, and fetching the record needs Sources:jobber:ClientId, Sources:jobber:RefreshToken " +
            "(environment: Sources__jobber__ClientId, Sources__jobber__RefreshToken); or set Sources:jobber:WebhookOnly=true" },
        { "Sources__acme__ApiBaseUrl", "not a url", "Sources__acme__Kind=hmac;Sources__acme__Secret=s;Sources__acme__Signature__Header=X-Sig", "Sources:acme:ApiBaseUrl: 'not a url' is not an absolute http(s) URL" },
        { "Sources__acme__Signature__Algorithm", "HmacMd5", "Sources__acme__Kind=hmac;Sources__acme__Secret=s;Sources__acme__Signature__Header=X-Sig", "Sources:acme:Signature:Algorithm: 'HmacMd5' is not one of HmacSha256, HmacSha1, HmacSha512, None." },
        { "Sources__acme__Kind", "zapier", "Sources__acme__Secret=s;Sources__acme__Signature__Header=X-Sig", "Sources:acme:Kind: 'zapier' is not one of" },
        { "Store__Provider", "Oracle", "", "Store:Provider" },
        { "Logging__Format", "xml", "", "Logging:Format: 'xml' is not one of text, json." },
        { "Company__TimeZone", "Mars/Olympus", "", "Company:TimeZone: 'Mars/Olympus' is not a known IANA time zone" },
        { "Logging__Level", "Bogus", "", "Logging:Level: 'Bogus' is not one of Verbose, Debug, Information, Warning, Error, Fatal." },
        { "Logging__Level", "99", "", "Logging:Level: '99' is not one of Verbose, Debug, Information, Warning, Error, Fatal." },
        { "Store__Provider", "Postgress", "", "Store:Provider: 'Postgress' is not one of Sqlite, Postgres" },
        { "Dispatcher__BaseDelay", "soon", "", "Dispatcher:BaseDelay: 'soon' is not a duration such as 00:00:30" },
        { "Store__ConnectionString", "Data Source=x.db", "Store__Provider=Postgres", "Store:ConnectionString: holds SQLite settings (Data Source=…) but Store:Provider is Postgres" },
        { "Store__ConnectionString", "fieldops.db", "", "Store:ConnectionString: is not a connection string" },
        { "Store__ConnectionString", "Host=db;Databse=fieldops", "Store__Provider=Postgres", "Store:ConnectionString: is not a PostgreSQL connection string" },
        { "Store__ConnectionString", "Host=db;Database=fieldops", "", "Store:ConnectionString: is not a SQLite connection string" },
        { "ThreadPool__MinWorkerThreads", "lots", "", "ThreadPool:MinWorkerThreads: 'lots' is not a whole number from 1 to 1024" },
        { "DataProtection__CertificatePath", "/nonexistent/fieldops-keys.pfx", "", "DataProtection:CertificatePath: no certificate file at /nonexistent/fieldops-keys.pfx." },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Run_WithABadValue_PrintsOneLineNamingTheKeyAndExitsWith2(string key, string value, string others, string expected)
    {
        var environment = new Dictionary<string, string>
        {
            ["Store__ConnectionString"] = $"Data Source={_directory.DatabasePath}",
            [key] = value,
        };
        foreach (var pair in others.Split(';', StringSplitOptions.RemoveEmptyEntries))
            environment[pair[..pair.IndexOf('=', StringComparison.Ordinal)]] = pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..];

        await using var process = FieldOpsProcess.Start(_directory.Path, environment);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(90));

        Assert.Equal(2, exitCode);
        var lines = process.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("Configuration error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", process.StandardOutput + process.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithABadListenUrl_PrintsOneLineAndExitsWith2()
    {
        var environment = new Dictionary<string, string> { ["Store__ConnectionString"] = $"Data Source={_directory.DatabasePath}" };
        await using var process = FieldOpsProcess.Start(_directory.Path, environment, "run", "--urls", "localhost-5080");
        Assert.Equal(2, await process.WaitForExitAsync(TimeSpan.FromSeconds(90)));
        Assert.Contains("urls: 'localhost-5080' is not an absolute http(s) URL", process.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommand_ExitsWith2()
    {
        await using var process = FieldOpsProcess.Start(_directory.Path, new Dictionary<string, string>(), "frobnicate");
        Assert.Equal(2, await process.WaitForExitAsync(TimeSpan.FromSeconds(90)));
        Assert.Contains("unknown command 'frobnicate'", process.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
