using FieldOps.Integration.Core.Secrets;
using Microsoft.Extensions.Configuration.Json;

namespace FieldOps.Integration.Host.Startup;

/// <summary>
/// A secret written into <c>appsettings*.json</c> works, but it travels with every copy of the file (backups,
/// repositories, support tickets): the service starts with one warning per such key, naming it and where the value
/// belongs instead. The value itself is never printed.
/// </summary>
internal static partial class SecretsInFiles
{
    public static void WarnAboutSecretsInFiles(this WebApplication app)
    {
        if (app.Configuration is not IConfigurationRoot root)
            return;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FieldOps.Configuration");
        foreach (var (file, key) in Find(root))
            LogSecretInFile(logger, key, file, key.Replace(":", "__", StringComparison.Ordinal));
    }

    /// <summary>Each secret-bearing key that a JSON file sets, with the file's name.</summary>
    public static IEnumerable<(string File, string Key)> Find(IConfigurationRoot root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var files = root.Providers.OfType<JsonConfigurationProvider>().ToList();
        foreach (var (key, _) in root.AsEnumerable())
        {
            var secret = SecretKeys.IsSecret(key);
            if (!secret && !SecretKeys.IsConnectionString(key))
                continue;
            foreach (var file in files)
            {
                if (file.TryGet(key, out var value) && !string.IsNullOrWhiteSpace(value) && (secret || SecretKeys.ConnectionStringPassword(value) is not null))
                    yield return (file.Source.Path ?? "appsettings.json", key);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Key} is set in {File}: a secret in a file travels with every copy of it; set the environment variable {Variable} (or use a vault) and remove it from the file")]
    private static partial void LogSecretInFile(ILogger logger, string key, string file, string variable);
}
