using System.Security.Cryptography;
using System.Text;

namespace FieldOps.Integration.Core.Outbox;

/// <summary>
/// The outbox row key (DESIGN.md, "Two kinds of key"): routing the same event with the same mappings gives the same
/// key, so it writes nothing new; a new mapping revision gives new keys.
/// </summary>
public static class OutboxRowKey
{
    public static string Compute(long inboxEventId, string flow, string operationKey, string mappingRevision)
    {
        var text = FormattableString.Invariant($"{inboxEventId}\n{flow}\n{operationKey}\n{mappingRevision}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }
}
