using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FieldOps.Integration.Host.Tests.Infrastructure;

/// <summary>
/// The real host in memory over a SQLite file of its own, with a Jobber source using the fixtures' secret and an
/// HMAC source with replay protection.
/// </summary>
public sealed class FieldOpsFactory : WebApplicationFactory<Program>
{
    public const string JobberSecret = "jobber_test_oauth_client_secret_8d3f1c7a";
    public const string HmacSecret = "acme-test-secret";

    private readonly TempDirectory _directory = new();
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    /// <param name="extra">Settings beside (or over) the defaults.</param>
    /// <param name="services">Test services added after the host's (e.g. an in-memory span exporter).</param>
    public FieldOpsFactory(IDictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null)
    {
        _services = services;
        _settings = new Dictionary<string, string?>
        {
            ["Store:ConnectionString"] = $"Data Source={_directory.DatabasePath}",
            ["Sources:jobber:Kind"] = "jobber",
            ["Sources:jobber:Secret"] = JobberSecret,
            ["Sources:jobber:WebhookOnly"] = "true", // no Jobber API here; FakeJobber turns hydration on
            ["Sources:acme:Kind"] = "hmac",
            ["Sources:acme:Secret"] = HmacSecret,
            ["Sources:acme:Signature:Algorithm"] = "HmacSha256",
            ["Sources:acme:Signature:Header"] = "X-Acme-Signature",
            ["Sources:acme:Signature:Prefix"] = "sha256=",
            ["Sources:acme:Signature:TimestampHeader"] = "X-Acme-Timestamp",
            ["Sources:acme:Signature:SignedContent"] = "TimestampDotBody",
            ["Sources:acme:Signature:TimestampTolerance"] = "00:05:00",
            ["Sources:acme:Dedup:JsonPointers:0"] = "/event/id",
            ["Sources:acme:MaxBodyBytes"] = "4096",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            _settings[key] = value;
    }

    public string DatabasePath => _directory.DatabasePath;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));
        // Connectors register themselves only when their section exists, and they look while the host's services are
        // being added: settings added by ConfigureAppConfiguration arrive after that, so connector (and Ops) settings are also
        // given as host settings, which the host's configuration has from the start.
        foreach (var (key, value) in _settings)
            if (key.StartsWith("Connectors:", StringComparison.OrdinalIgnoreCase) || key.StartsWith("Ops:", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("Tracing:", StringComparison.OrdinalIgnoreCase) || key.StartsWith("OTEL_", StringComparison.OrdinalIgnoreCase))
                builder.UseSetting(key, value);
        if (_services is not null)
            builder.ConfigureServices(_services);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
            _directory.Dispose();
    }
}
