using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Mapping.Evaluation;
using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Integration.Core.Tests.Routing;

namespace FieldOps.Integration.Core.Tests.Mapping;

/// <summary>The router's fast canonical validator agrees with a full JSON Schema implementation on the same files.</summary>
public sealed class CanonicalSchemaTests
{
    public static TheoryData<string, string, string> Breakages => new()
    {
        { "jobber-job-closed.json", "/entity/lineItems/0/quantity", "\"three\"" },
        { "jobber-job-closed.json", "/entity/status", "\"Done\"" },
        { "jobber-job-closed.json", "/entity/total/currency", "\"usd\"" },
        { "jobber-job-closed.json", "/entity/timeEntries/0/clockIn", "\"yesterday\"" },
        { "jobber-job-closed.json", "/entity/customerId", null! },
        { "jobber-job-closed.json", "/type", "\"JobDone\"" },
        { "canonical-customer-upserted.json", "/entity/displayName", "\"\"" },
        { "canonical-customer-upserted.json", "/entity/billingAddress/planet", "\"Mars\"" },
        { "canonical-customer-upserted.json", "/extra", "1" },
        { "jobber-timesheet-update.json", "/entity/durationMinutes", "-5" },
    };

    [Theory]
    [InlineData("jobber-job-closed.json")]
    [InlineData("jobber-timesheet-update.json")]
    [InlineData("canonical-customer-upserted.json")]
    public void Validate_ShippedSampleNormalised_BothValidatorsAccept(string sample)
    {
        var canonical = Normalise(sample);

        Assert.Empty(Fast(canonical));
        Assert.Empty(Full(canonical));
    }

    [Theory]
    [MemberData(nameof(Breakages))]
    public void Validate_BrokenEvent_BothValidatorsRefuse(string sample, string pointer, string? json)
    {
        var canonical = Normalise(sample);
        Set(canonical, pointer, json);

        Assert.NotEmpty(Fast(canonical));
        Assert.NotEmpty(Full(canonical));
    }

    private static List<(string, string)> Fast(JsonObject canonical)
    {
        var errors = SchemaCatalog.ValidateEnvelope(canonical).ToList();
        errors.AddRange(SchemaCatalog.ValidateEntity((string)canonical["entityType"]!, canonical["entity"]) ?? []);
        return errors;
    }

    private static List<(string, string)> Full(JsonObject canonical)
    {
        var errors = SchemaCatalog.Validate("canonical/envelope.schema.json", canonical);
        var file = (string)canonical["entityType"]! switch
        {
            "Job" => "job",
            "Customer" => "customer",
            _ => "time-entry",
        };
        errors.AddRange(SchemaCatalog.Validate($"canonical/{file}.schema.json", canonical["entity"]));
        return errors;
    }

    private static JsonObject Normalise(string sample)
    {
        var set = MappingLoader.Load(MappingFolder.Shipped).Set!;
        var kind = sample.StartsWith("jobber", StringComparison.Ordinal) ? "jobber" : "canonical";
        var outcome = new MappingEngine(TimeProvider.System).Map(set, new SourceEvent("1", kind, kind, DateTimeOffset.UnixEpoch, "k", JsonNode.Parse(RouterHarness.Sample(sample))));
        return (JsonObject)outcome.CanonicalEvent!.DeepClone();
    }

    private static void Set(JsonObject root, string pointer, string? json)
    {
        var parts = pointer[1..].Split('/');
        JsonNode parent = root;
        foreach (var part in parts[..^1])
            parent = parent is JsonArray array ? array[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)]! : parent[part]!;
        if (json is null)
            parent.AsObject().Remove(parts[^1]);
        else
            parent[parts[^1]] = JsonNode.Parse(json);
    }
}
