using System.Globalization;
using System.Reflection;
using FieldOps.Integration.Core.Storage;

namespace FieldOps.Integration.Storage.Migrations;

/// <summary>The migrations this build ships for each provider, in order.</summary>
public static class MigrationCatalog
{
    /// <summary>
    /// Every migration for <paramref name="provider"/>, ordered by version; a file standing for a script the Quartz
    /// assembly ships is expanded (<see cref="QuartzSchema"/>), its statements separated by
    /// <paramref name="batchSeparator"/> lines where the dialect needs them.
    /// </summary>
    public static IReadOnlyList<Migration> For(StoreProvider provider, string? batchSeparator = null)
    {
        var assembly = typeof(MigrationCatalog).Assembly;
        var prefix = $"{typeof(MigrationCatalog).Namespace}.{provider}.";
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
                continue;
            var fileName = resource[prefix.Length..^4];
            var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
            var version = int.Parse(fileName[..underscore], CultureInfo.InvariantCulture);
            migrations.Add(new Migration(version, fileName[(underscore + 1)..], QuartzSchema.Expand(Read(assembly, resource), batchSeparator)));
        }
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
                throw new InvalidOperationException($"Two {provider} migrations share version {migrations[i].Version}.");
        }
        return migrations;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
