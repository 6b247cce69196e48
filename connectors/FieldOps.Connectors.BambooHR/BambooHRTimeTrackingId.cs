using System.Security.Cryptography;
using System.Text;

namespace FieldOps.Connectors.BambooHR;

/// <summary>
/// Our <c>timeTrackingId</c> (≤ 36 characters): the flow's idempotency key (job + technician + date) when it fits,
/// else its first 23 characters, a dash and 12 hex characters of its SHA-256 — deterministic, so a retry updates.
/// </summary>
internal static class BambooHRTimeTrackingId
{
    public const int MaxLength = 36;

    public static string For(string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        if (idempotencyKey.Length <= MaxLength)
            return idempotencyKey;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..12];
        return $"{idempotencyKey[..23]}-{hash}";
    }
}
