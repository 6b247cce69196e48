using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FieldOps.Integration.Core.Outbox;

/// <summary>
/// The outbox row key (DESIGN.md, "Two kinds of key"): routing the same event with the same mappings gives the same
/// key, so it writes nothing new; a new mapping revision gives new keys.
/// </summary>
/// <remarks>
/// A key is 32 lower-case hex characters: the inbox event id (12 digits) and then 20 of the SHA-256 of the event id,
/// flow, operation key and mapping revision. Keys begin with their event so that rows written later sort after the rows
/// written before them: an index on the key (the outbox's primary key, the attempt and action records' row index) then
/// takes new entries at its end instead of on a page of its own each (issue 15: with keys in random order, routing one
/// job-completed event dirtied a page per row in each of these indexes, and every dirty page is a WAL frame). Keys of rows
/// written before this form are the first 32 characters of the hash; both kinds live side by side, so nothing may tell an
/// operation's rows apart by key alone (re-routing compares mapping revisions). Twelve digits hold event ids below 2⁴⁸.
/// </remarks>
public static class OutboxRowKey
{
    /// <summary>The length of a key.</summary>
    public const int Length = 32;

    private const int EventDigits = 12;

    public static string Compute(long inboxEventId, string flow, string operationKey, string mappingRevision)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inboxEventId);
        var text = FormattableString.Invariant($"{inboxEventId}\n{flow}\n{operationKey}\n{mappingRevision}");
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return inboxEventId.ToString("x12", CultureInfo.InvariantCulture) + Convert.ToHexStringLower(hash)[..(Length - EventDigits)];
    }
}
