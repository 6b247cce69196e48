namespace FieldOps.Integration.Core.Tests.Mapping;

/// <summary>A temporary mappings folder, seeded with the shipped mappings or with given files; deleted on dispose.</summary>
internal sealed class MappingFolder : IDisposable
{
    public MappingFolder(bool withShipped = true)
    {
        Root = Path.Combine(Path.GetTempPath(), "fieldops-mappings-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        if (withShipped)
            Copy(Shipped, Root);
    }

    /// <summary>The shipped mappings as copied to the test output.</summary>
    public static string Shipped => Path.Combine(AppContext.BaseDirectory, "mappings");

    public string Root { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public void Write(string relative, string text)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public string Read(string relative) => File.ReadAllText(PathOf(relative));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A watcher may still hold the folder for a moment; the temp folder is cleaned up by the OS.
        }
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
