namespace FieldOps.Integration.Host.Tests.Sources;

/// <summary>Paths in this repository, found from the test's output folder.</summary>
public static class RepositoryPaths
{
    /// <summary>The shipped <c>mappings/</c> folder (profiles and flows), so tests run what ships.</summary>
    public static string Mappings
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "FieldOps.Integration.sln")))
                    return Path.Combine(dir.FullName, "mappings");
            }
            throw new DirectoryNotFoundException("FieldOps.Integration.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
