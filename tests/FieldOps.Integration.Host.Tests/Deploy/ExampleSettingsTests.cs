using System.Collections;
using System.Reflection;
using System.Text.Json;
using FieldOps.Connectors.BambooHR;
using FieldOps.Connectors.Http;
using FieldOps.Connectors.HubSpot;
using FieldOps.Connectors.Jobber;
using FieldOps.Connectors.QuickBooks;
using FieldOps.Connectors.Salesforce;
using FieldOps.Integration.Core.Secrets;
using FieldOps.Integration.Host.Tests.Sources;

namespace FieldOps.Integration.Host.Tests.Deploy;

/// <summary>
/// <c>deploy/examples/appsettings.{connector}.json</c> (issue 18): one per connector, holding every key of its options
/// except the secrets (environment only), and no key the options do not have (a typo an admin would copy).
/// </summary>
public sealed class ExampleSettingsTests
{
    private static readonly JsonDocumentOptions Jsonc = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static TheoryData<string, string> Connectors => new()
    {
        { "salesforce", nameof(SalesforceOptions) },
        { "hubspot", nameof(HubSpotOptions) },
        { "quickbooks", nameof(QuickBooksOptions) },
        { "bamboohr", nameof(BambooHROptions) },
        { "http", nameof(HttpConnectorOptions) },
        { "jobber", nameof(JobberOptions) },
    };

    private static readonly Dictionary<string, (Type Options, string Section)> Types = new(StringComparer.Ordinal)
    {
        [nameof(SalesforceOptions)] = (typeof(SalesforceOptions), SalesforceOptions.SectionName),
        [nameof(HubSpotOptions)] = (typeof(HubSpotOptions), HubSpotOptions.SectionName),
        [nameof(QuickBooksOptions)] = (typeof(QuickBooksOptions), QuickBooksOptions.SectionName),
        [nameof(BambooHROptions)] = (typeof(BambooHROptions), BambooHROptions.SectionName),
        [nameof(HttpConnectorOptions)] = (typeof(HttpConnectorOptions), HttpConnectorOptions.SectionName),
        [nameof(JobberOptions)] = (typeof(JobberOptions), JobberOptions.SectionName),
    };

    [Theory]
    [MemberData(nameof(Connectors))]
    public void Example_HasEveryNonSecretKeyOfTheOptionsAndNoOther(string connector, string optionsType)
    {
        var (type, section) = Types[optionsType];
        var path = Path.Combine(Path.GetDirectoryName(RepositoryPaths.Mappings)!, "deploy", "examples", $"appsettings.{connector}.json");
        Assert.True(File.Exists(path), $"no example for connector '{connector}': {path}");
        using var document = JsonDocument.Parse(File.ReadAllText(path), Jsonc);
        var element = document.RootElement;
        foreach (var part in section.Split(':'))
            Assert.True(element.TryGetProperty(part, out element), $"{path}: no section {section}");

        var missing = new List<string>();
        var unknown = new List<string>();
        Compare(type, element, section, missing, unknown);

        Assert.True(missing.Count == 0, $"{path} lacks {string.Join(", ", missing)}");
        Assert.True(unknown.Count == 0, $"{path} has keys the options do not read: {string.Join(", ", unknown)}");
    }

    // Every settable property is a key (secrets excepted: they must NOT be written in a file); nested option classes
    // are compared the same way; a dictionary of option classes is compared per entry.
    private static void Compare(Type type, JsonElement json, string key, List<string> missing, List<string> unknown)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }).ToList(); // what the binder sets
        foreach (var property in properties)
        {
            var child = $"{key}:{property.Name}";
            var found = json.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase));
            if (SecretKeys.IsSecret(child))
            {
                if (found.Value.ValueKind is not JsonValueKind.Undefined and not JsonValueKind.Null)
                    unknown.Add($"{child} (a secret: environment only)");
                continue;
            }
            if (found.Value.ValueKind == JsonValueKind.Undefined)
            {
                missing.Add(child);
                continue;
            }
            if (OptionsClass(property.PropertyType) && found.Value.ValueKind == JsonValueKind.Object)
                Compare(property.PropertyType, found.Value, child, missing, unknown);
            else if (DictionaryOfOptions(property.PropertyType) is { } valueType && found.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in found.Value.EnumerateObject())
                    Compare(valueType, entry.Value, $"{child}:{entry.Name}", missing, unknown);
            }
        }
        foreach (var written in json.EnumerateObject())
        {
            if (!properties.Any(p => string.Equals(p.Name, written.Name, StringComparison.OrdinalIgnoreCase)))
                unknown.Add($"{key}:{written.Name}");
        }
    }

    private static bool OptionsClass(Type type) =>
        type.IsClass && type != typeof(string) && type != typeof(Uri) && !typeof(IEnumerable).IsAssignableFrom(type);

    private static Type? DictionaryOfOptions(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) && OptionsClass(type.GetGenericArguments()[1])
            ? type.GetGenericArguments()[1]
            : null;
}
