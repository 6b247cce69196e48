using YamlDotNet.RepresentationModel;

namespace FieldOps.Connectors.BambooHR.Tests.Spec;

/// <summary>
/// BambooHR's official OpenAPI document from <c>../shared/specs/bamboohr</c> (relative to the folder holding
/// FieldOps.Integration.sln), read with YamlDotNet's representation model.
/// </summary>
internal static class BambooHRSpec
{
    private static readonly Lazy<YamlMappingNode> Root = new(Load);

    public static string SpecPath { get; } = Locate();

    public static bool IsPresent => File.Exists(SpecPath);

    /// <summary>The request body schema of <paramref name="method"/> <paramref name="path"/>, with <c>$ref</c>s followed.</summary>
    public static YamlMappingNode RequestSchema(string path, string method)
    {
        var paths = (YamlMappingNode)Root.Value["paths"];
        var operation = (YamlMappingNode)((YamlMappingNode)paths[path])[method];
        var content = (YamlMappingNode)((YamlMappingNode)operation["requestBody"])["content"];
        return Resolve((YamlMappingNode)((YamlMappingNode)content["application/json"])["schema"]);
    }

    /// <summary>Follows <c>$ref: '#/components/schemas/X'</c>.</summary>
    public static YamlMappingNode Resolve(YamlMappingNode schema)
    {
        while (schema.Children.TryGetValue(new YamlScalarNode("$ref"), out var reference))
        {
            var name = ((YamlScalarNode)reference).Value!.Split('/')[^1];
            schema = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)Root.Value["components"])["schemas"])[name];
        }
        return schema;
    }

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FieldOps.Integration.sln")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "specs", "bamboohr", "bamboohr-public-openapi.yaml"));
        }
        return Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "shared", "specs", "bamboohr", "bamboohr-public-openapi.yaml"));
    }

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(SpecPath);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
