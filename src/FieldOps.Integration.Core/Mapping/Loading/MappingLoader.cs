using System.Text;
using FieldOps.Integration.Core.Mapping.Model;

namespace FieldOps.Integration.Core.Mapping.Loading;

/// <summary>
/// The result of loading the mappings folder: a usable set (with its warnings, if any), or the problems that refuse it.
/// </summary>
public sealed record MappingLoadResult(MappingSet? Set, IReadOnlyList<MappingDiagnostic> Diagnostics, string ContentHash)
{
    /// <summary>The problems that refuse the set (not the warnings).</summary>
    public IReadOnlyList<MappingDiagnostic> Errors => Diagnostics.Where(d => !d.IsWarning).ToList();
}

/// <summary>Loads every <c>*.yaml</c>/<c>*.yml</c> file under the mappings folder (except <c>schema/</c>) as one set.</summary>
public static class MappingLoader
{
    /// <summary>The mapping files under <paramref name="root"/>, sorted, as (path, path shown in diagnostics).</summary>
    public static IReadOnlyList<string> ListFiles(string root) =>
        Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                .Where(f => !Path.GetRelativePath(root, f).Replace('\\', '/').StartsWith("schema/", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    /// <summary>A hash over the names and contents of the files: cheap enough for a periodic change check.</summary>
    public static string HashFolder(string root)
    {
        var builder = new StringBuilder();
        try
        {
            foreach (var file in ListFiles(root))
                builder.Append(Path.GetRelativePath(root, file)).Append('\0').Append(MappingFileCompiler.Hash(File.ReadAllText(file))).Append('\n');
        }
        catch (IOException)
        {
            // A file vanished while being read: report a change, so the caller reloads (and sees the folder as it is then).
            return "";
        }
        return MappingFileCompiler.Hash(builder.ToString());
    }

    /// <summary>
    /// Checks single mapping files on their own (schema, expressions, function names, event types), without the checks
    /// that need the whole folder (a test's flows, duplicate names). Each problem as file:line:column.
    /// </summary>
    public static IReadOnlyList<MappingDiagnostic> ValidateFiles(IEnumerable<string> files, TargetSchemas.TargetSchemaSet? schemas = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var diagnostics = new List<MappingDiagnostic>();
        foreach (var file in files)
        {
            try
            {
                MappingFileCompiler.Compile(file.Replace('\\', '/'), File.ReadAllText(file), diagnostics, schemas);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                diagnostics.Add(new MappingDiagnostic(file, 0, 0, null, "cannot read the file: " + ex.Message));
            }
        }
        return diagnostics;
    }

    /// <summary>
    /// The (connector, object type) pairs the flows in <paramref name="paths"/> (folders or files) write with fields,
    /// read without compiling: what <c>fieldops validate --online</c> asks the targets about. Unreadable files are skipped
    /// (the check reports them).
    /// </summary>
    public static IReadOnlyList<(string Connector, string ObjectType)> TargetObjects(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var pairs = new SortedSet<(string, string)>();
        foreach (var path in paths)
        {
            foreach (var file in Directory.Exists(path) ? ListFiles(path) : [path])
            {
                try
                {
                    var root = YamlJsonReader.Read(file, File.ReadAllText(file)).Root as System.Text.Json.Nodes.JsonObject;
                    if (root?["kind"]?.ToString() != "flow" || root["operations"] is not System.Text.Json.Nodes.JsonArray operations)
                        continue;
                    foreach (var op in operations.OfType<System.Text.Json.Nodes.JsonObject>())
                    {
                        if (op["fields"] is not null && op["connector"]?.ToString() is { Length: > 0 } connector && op["objectType"]?.ToString() is { Length: > 0 } objectType)
                            pairs.Add((connector, objectType));
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or MappingException or InvalidOperationException)
                {
                    // Reported by the check itself.
                }
            }
        }
        return [.. pairs];
    }

    /// <summary>
    /// Loads the folder. Flows are checked against <paramref name="schemas"/> (the shipped QuickBooks and BambooHR schemas
    /// when null): an error refuses the set like a syntax error, a warning does not.
    /// </summary>
    public static MappingLoadResult Load(string root, TargetSchemas.TargetSchemaSet? schemas = null)
    {
        var diagnostics = new List<MappingDiagnostic>();
        if (!Directory.Exists(root))
            return new MappingLoadResult(null, [new MappingDiagnostic(root, 0, 0, null, "the mappings folder does not exist")], HashFolder(root));
        var profiles = new Dictionary<string, CompiledProfile>(StringComparer.OrdinalIgnoreCase);
        var flows = new List<CompiledFlow>();
        var tests = new List<MappingTestCase>();
        var hash = new StringBuilder();
        foreach (var path in ListFiles(root))
        {
            var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            var shown = Path.Combine(root, relative).Replace('\\', '/');
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (IOException ex)
            {
                diagnostics.Add(new MappingDiagnostic(shown, 0, 0, null, "cannot read the file: " + ex.Message));
                continue;
            }
            hash.Append(relative).Append('\0').Append(MappingFileCompiler.Hash(text)).Append('\n');
            switch (MappingFileCompiler.Compile(shown, text, diagnostics, schemas))
            {
                case CompiledProfile profile when profiles.TryGetValue(profile.SourceKind, out var other):
                    diagnostics.Add(new MappingDiagnostic(shown, 1, 1, "sourceKind", $"a second profile for source kind '{profile.SourceKind}' (the first is {other.File})"));
                    break;
                case CompiledProfile profile:
                    profiles[profile.SourceKind] = profile;
                    break;
                case CompiledFlow flow when flows.Find(f => f.Name == flow.Name) is { } same:
                    diagnostics.Add(new MappingDiagnostic(shown, 1, 1, "name", $"a second flow named '{flow.Name}' (the first is {same.File})"));
                    break;
                case CompiledFlow flow:
                    flows.Add(flow);
                    break;
                case MappingTestCase test:
                    tests.Add(test);
                    break;
            }
        }
        var contentHash = MappingFileCompiler.Hash(hash.ToString());
        if (MappingDiagnostic.AnyError(diagnostics))
            return new MappingLoadResult(null, diagnostics, contentHash);
        var set = new MappingSet { ProfilesBySourceKind = profiles, Flows = flows, Tests = tests, ContentHash = contentHash };
        return new MappingLoadResult(set, diagnostics, contentHash);
    }
}
