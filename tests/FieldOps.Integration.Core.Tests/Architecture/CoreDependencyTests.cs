using System.Reflection;
using FieldOps.Integration.Core.Credentials;

namespace FieldOps.Integration.Core.Tests.Architecture;

/// <summary>Core is the pipeline and the connector contract: it runs on the generic host alone, without ASP.NET.</summary>
public sealed class CoreDependencyTests
{
    private static readonly Assembly Core = typeof(TokenProtector).Assembly;

    [Fact]
    public void Core_ReferencesNoAspNetCoreAssembly()
    {
        var aspNet = Core.GetReferencedAssemblies()
            .Select(a => a.Name ?? "")
            .Where(name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal))
            .ToList();

        Assert.True(aspNet.Count == 0, $"Core references {string.Join(", ", aspNet)}; ASP.NET belongs in Storage or Host.");
    }

    [Fact]
    public void Core_ProjectFile_HasNoAspNetFrameworkReference()
    {
        var project = Path.Combine(RepositoryRoot(), "src", "FieldOps.Integration.Core", "FieldOps.Integration.Core.csproj");

        var text = File.ReadAllText(project);

        Assert.DoesNotContain("Microsoft.AspNetCore.App", text, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FieldOps.Integration.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException($"No FieldOps.Integration.sln above {AppContext.BaseDirectory}.");
    }
}
