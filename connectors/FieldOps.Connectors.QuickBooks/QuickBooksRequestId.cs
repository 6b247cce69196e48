using System.Security.Cryptography;
using System.Text;
using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>
/// The <c>requestid</c> of a write, derived from the operation's business key so that a retry (or a second event about
/// the same invoice) replays the first result instead of writing twice: 32 hex characters of SHA-256, well under 50.
/// </summary>
internal static class QuickBooksRequestId
{
    public static string For(OutboundOperation operation, string step = "")
    {
        var seed = $"{operation.Connector}|{operation.Connection}|{operation.Operation}|{operation.ObjectType}|{operation.IdempotencyKey}|{step}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
