using System.Security.Cryptography;
using System.Text;

namespace FieldOps.Integration.Host.Tests.Infrastructure;

/// <summary>Signs test deliveries the way senders do.</summary>
public static class Signing
{
    public static string JobberSignature(string body, string secret = FieldOpsFactory.JobberSecret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    public static string AcmeSignature(string timestamp, string body, string secret = FieldOpsFactory.HmacSecret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
}
