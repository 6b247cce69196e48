namespace FieldOps.Integration.Host.Startup;

/// <summary>A configuration value the host cannot work with; the message starts with the key.</summary>
internal sealed class ConfigurationException(string message) : Exception(message);
