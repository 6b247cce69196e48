using FieldOps.Integration.Core.Operations;

namespace FieldOps.Integration.Core.Tests.Operations;

/// <summary>A dead letter points at its operation and fields in the mapping file, the fields the target named first.</summary>
public sealed class MappingOriginLocatorTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"fieldops-origin-{Guid.NewGuid():N}.yaml");

    private static OperationRow Row(string file, string key, string reason) => new()
    {
        Id = "r1", Seq = 1, InboxEventId = 1, Flow = "customer-things", OperationKey = key, MappingRevision = "rev", Connector = "http",
        Connection = "default", Operation = "upsert", ObjectType = "Contact", IdempotencyKey = "k", PartitionKey = "p", Payload = "{}",
        SourceFile = file, State = "dead", Attempts = 1, CreatedAt = DateTimeOffset.UnixEpoch, DeadReason = reason,
    };

    [Fact]
    public void Locate_FieldNamedByTheTarget_ComesFirstWithItsLine()
    {
        File.WriteAllLines(_file,
        [
            "kind: flow",                               // 1
            "operations:",                              // 2
            "  - key: account",                         // 3
            "    fields:",                              // 4
            "      email: entity.email",                // 5
            "  - key: contact",                         // 6
            "    connector: http",                      // 7
            "    fields:",                              // 8
            "      name: entity.displayName",           // 9
            "      # the second address, by mistake",   // 10
            "      email: \"$lowercase(entity.emails[1])\"", // 11
            "      address:",                           // 12
            "        city: entity.city",                // 13
            "    params:",                              // 14
            "      endpoint: \"'contacts'\"",           // 15
        ]);

        var origin = MappingOriginLocator.Locate(Row(_file, "contact", "Permanent: email is required (fields: email) [flow 'customer-things']"), null)!;

        Assert.Equal(6, origin.OperationLine);
        Assert.Equal([("email", 11, true), ("name", 9, false), ("address", 12, false)], origin.Fields.Select(f => (f.Field, f.Line, f.NamedByTarget)));
        Assert.Null(MappingOriginLocator.Locate(Row(_file + ".missing", "contact", ""), null));
        Assert.Null(MappingOriginLocator.Locate(Row(_file, "nosuch", ""), null)!.OperationLine);
    }

    public void Dispose() => File.Delete(_file);
}
