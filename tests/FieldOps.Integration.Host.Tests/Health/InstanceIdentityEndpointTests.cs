using System.Net.Http.Json;
using System.Text.Json;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Host.Tests.Infrastructure;
using FieldOps.Integration.Host.Tests.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace FieldOps.Integration.Host.Tests.Health;

/// <summary>Issue 16 item 6: with several processes on one database, /health/ready and /metrics say which instance answered.</summary>
public sealed class InstanceIdentityEndpointTests : IDisposable
{
    private readonly FieldOpsFactory _factory = new(new Dictionary<string, string?> { [InstanceIdentity.NameKey] = "worker-a" });

    [Fact]
    public async Task ReadyAndMetrics_CarryTheInstanceIdOfThisProcess_NamedByInstanceName()
    {
        using var client = _factory.CreateClient();
        var id = _factory.Services.GetRequiredService<InstanceIdentity>().Id;
        Assert.StartsWith($"worker-a:{Environment.ProcessId}:", id, StringComparison.Ordinal);

        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        var report = await ready.Content.ReadFromJsonAsync<JsonElement>();
        var instance = report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "instance");
        Assert.Equal("Healthy", instance.GetProperty("status").GetString());
        Assert.Contains(id, instance.ToString(), StringComparison.Ordinal);
        Assert.Contains("leases", instance.ToString(), StringComparison.Ordinal);

        using var metrics = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        metrics.EnsureSuccessStatusCode();
        var samples = PrometheusParser.Parse(await metrics.Content.ReadAsStringAsync());
        Assert.Equal(1, samples.Single(s => s.Name == "fieldops_instance_info").Value);
        Assert.Equal(id, samples.Single(s => s.Name == "fieldops_instance_info").Labels["instance"]);
        Assert.Equal(0, samples.Single(s => s.Name == "fieldops_instance_leases" && s.Labels["instance"] == id).Value);
    }

    public void Dispose() => _factory.Dispose();
}
