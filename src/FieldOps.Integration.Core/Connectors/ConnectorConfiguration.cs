using Microsoft.Extensions.Configuration;

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
}
