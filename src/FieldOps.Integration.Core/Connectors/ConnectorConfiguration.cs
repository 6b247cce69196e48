using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FieldOps.Integration.Core.Connectors;

/// <summary>The one rule for whether a connector is registered: its section exists and does not say <c>Enabled: false</c>.</summary>
public static class ConnectorConfiguration
{
    /// <summary>The connector's section when it is configured and enabled; null otherwise, so an instance without it starts.</summary>
    public static IConfigurationSection? EnabledSection(IConfiguration configuration, string sectionName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(sectionName);
        return section.Exists() && section.GetValue("Enabled", true) ? section : null;
    }

    /// <summary>True when the connector's section exists and does not say <c>Enabled: false</c> (<see cref="EnabledSection"/>).</summary>
    public static bool IsEnabled(IConfiguration configuration, string sectionName) => EnabledSection(configuration, sectionName) is not null;

    /// <summary>
    /// Names the connector this build knows, configured or not, so that <c>fieldops connectors check quickbooks</c> and
    /// readiness can say "not configured (Connectors:QuickBooks)" instead of "no connector named …". Call it before the
    /// <see cref="EnabledSection"/> check that returns early.
    /// </summary>
    public static IServiceCollection AddConnectorKind(this IServiceCollection services, string name, string sectionName)
    {
        if (!services.Any(d => d.ServiceType == typeof(ConnectorKind) && d.ImplementationInstance is ConnectorKind known && known.Name == name))
            services.AddSingleton(new ConnectorKind(name, sectionName));
        return services;
    }
}

/// <summary>A connector this build offers (<see cref="ConnectorConfiguration.AddConnectorKind"/>), and where it is configured.</summary>
/// <param name="Name">The name flows and outbox rows use (<c>salesforce</c>).</param>
/// <param name="SectionName">Its configuration section (<c>Connectors:Salesforce</c>).</param>
public sealed record ConnectorKind(string Name, string SectionName)
{
    /// <summary>The one-line reason used wherever an unconfigured connector is named.</summary>
    public string NotConfigured => $"not configured ({SectionName} missing or Enabled=false)";
}
