using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FieldOps.Sources.HubSpot;

/// <summary>
/// HubSpot's v3 request signature (docs/reverse-directions.md §HubSpot signatures): base64 of HMAC-SHA256, keyed with
/// the app's client secret, over the UTF-8 bytes of <c>method + uri + body + timestamp</c> with no separators, where
/// <c>uri</c> is the full URI HubSpot called with a fixed set of percent-escapes decoded and <c>timestamp</c> is the
/// <c>X-HubSpot-Request-Timestamp</c> header (epoch milliseconds) as sent. A request older than the tolerance is
/// refused, and so is one dated further ahead than the tolerance (HubSpot states no rule for the future).
/// </summary>
public static class HubSpotSignatureV3
{
    public const string SignatureHeader = "X-HubSpot-Signature-v3";
    public const string TimestampHeader = "X-HubSpot-Request-Timestamp";

    /// <summary>HubSpot's documented limit on a request's age. <value>5 minutes.</value></summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    // The only escapes HubSpot's validation guide decodes; every other escape is left as sent.
    private static readonly (string Escape, char Character)[] Decoded =
    [
        ("%3A", ':'), ("%2F", '/'), ("%3F", '?'), ("%40", '@'), ("%21", '!'), ("%24", '$'),
        ("%27", '\''), ("%28", '('), ("%29", ')'), ("%2A", '*'), ("%2C", ','), ("%3B", ';'),
    ];

    /// <summary>The URI as it enters the signed string: the twelve escapes of HubSpot's table decoded (either case of hex digits).</summary>
    public static string CanonicalUri(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.Contains('%', StringComparison.Ordinal))
            return uri;
        var text = new StringBuilder(uri.Length);
        for (var i = 0; i < uri.Length; i++)
        {
            if (uri[i] == '%' && i + 2 < uri.Length && Array.FindIndex(Decoded, d => string.Compare(d.Escape, 0, uri, i, 3, StringComparison.OrdinalIgnoreCase) == 0) is var found and >= 0)
            {
                text.Append(Decoded[found].Character);
                i += 2;
                continue;
            }
            text.Append(uri[i]);
        }
        return text.ToString();
    }

    /// <summary>The signature HubSpot sends for this request.</summary>
    public static string Compute(string secret, string method, string uri, ReadOnlySpan<byte> body, string timestamp)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(timestamp);
        var head = Encoding.UTF8.GetBytes(method.ToUpperInvariant() + CanonicalUri(uri));
        var tail = Encoding.UTF8.GetBytes(timestamp);
        var signed = new byte[head.Length + body.Length + tail.Length];
        head.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(head.Length));
        tail.CopyTo(signed, head.Length + body.Length);
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>Checks a request; the signature comparison is constant-time.</summary>
    public static HubSpotSignatureCheck Verify(
        string secret, string method, string uri, ReadOnlySpan<byte> body, string? timestamp, string? signature, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestamp))
            return HubSpotSignatureCheck.Missing;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            return HubSpotSignatureCheck.BadTimestamp;
        var sentAt = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        if (now - sentAt > tolerance || sentAt - now > tolerance)
            return HubSpotSignatureCheck.Stale;
        var expected = Encoding.ASCII.GetBytes(Compute(secret, method, uri, body, timestamp));
        var given = Encoding.ASCII.GetBytes(signature.Trim());
        return CryptographicOperations.FixedTimeEquals(expected, given) ? HubSpotSignatureCheck.Valid : HubSpotSignatureCheck.Mismatch;
    }
}

/// <summary>What <see cref="HubSpotSignatureV3.Verify"/> found.</summary>
public enum HubSpotSignatureCheck
{
    Valid,

    /// <summary>No <c>X-HubSpot-Signature-v3</c> or no <c>X-HubSpot-Request-Timestamp</c>.</summary>
    Missing,

    /// <summary>The timestamp is not epoch milliseconds.</summary>
    BadTimestamp,

    /// <summary>The timestamp is outside the tolerance: a replay or a badly wrong clock.</summary>
    Stale,

    /// <summary>The signature does not match the body, URI and timestamp.</summary>
    Mismatch,
}
