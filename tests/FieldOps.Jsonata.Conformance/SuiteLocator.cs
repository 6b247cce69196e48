namespace FieldOps.Jsonata.Conformance;

/// <summary>Finds the JSONata conformance suite folder.</summary>
public static class SuiteLocator
{
    /// <summary>Environment variable that overrides the suite location.</summary>
    public const string EnvironmentVariable = "FIELDOPS_JSONATA_SUITE";

    /// <summary>The suite directory to use (may not exist; see <see cref="Exists"/>).</summary>
    public static string Locate()
    {
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env))
        {
            return Path.GetFullPath(env);
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FieldOps.Integration.sln")))
        {
            dir = dir.Parent;
        }

        var root = dir?.FullName ?? AppContext.BaseDirectory;
        return Path.GetFullPath(Path.Combine(root, "..", "shared", "conformance", "jsonata"));
    }

    /// <summary>True when <paramref name="suiteDir"/> holds a <c>groups</c> folder.</summary>
    public static bool Exists(string suiteDir) => Directory.Exists(Path.Combine(suiteDir, "groups"));
}
