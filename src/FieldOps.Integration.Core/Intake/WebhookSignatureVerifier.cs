using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FieldOps.Integration.Core.Intake;

/// <summary>
/// Checks a delivery's HMAC over the exact raw bytes, in constant time, before anything parses the body; and, where
/// the source sends one, that its timestamp is within tolerance.
/// </summary>
public sealed class WebhookSignatureVerifier(TimeProvider time)
{
    /// <summary>Returns null when the delivery is authentic, else why not (for the log, never the secret).</summary>
    public string? Verify(SignatureOptions scheme, string? secret, Func<string, string?> header, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        ArgumentNullException.ThrowIfNull(header);
        string? timestamp = null;
        if (scheme.TimestampHeader is { Length: > 0 } timestampHeader)
        {
            timestamp = header(timestampHeader);
            if (timestamp is null)
                return $"missing {timestampHeader} header";
            if (!TryParseTimestamp(timestamp, out var sentAt))
                return $"unreadable {timestampHeader} header";
            if ((time.GetUtcNow() - sentAt).Duration() > scheme.TimestampTolerance)
                return $"timestamp outside the tolerance of {scheme.TimestampTolerance}";
        }
        if (scheme.Algorithm == SignatureAlgorithm.None)
            return null;
        var presented = header(scheme.Header!);
        if (string.IsNullOrEmpty(presented))
            return $"missing {scheme.Header} header";
        if (!TryDecode(presented.Trim(), scheme, out var expected))
            return $"malformed {scheme.Header} header";
        var actual = Compute(scheme, Encoding.UTF8.GetBytes(secret ?? ""), timestamp, body);
        return CryptographicOperations.FixedTimeEquals(actual, expected) ? null : "signature mismatch";
    }

    private static byte[] Compute(SignatureOptions scheme, byte[] key, string? timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = scheme.Algorithm switch
        {
            SignatureAlgorithm.HmacSha1 => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, key),
            SignatureAlgorithm.HmacSha512 => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA512, key),
            _ => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key),
        };
        if (scheme.SignedContent == SignedContent.TimestampDotBody)
        {
            hmac.AppendData(Encoding.UTF8.GetBytes(timestamp ?? ""));
            hmac.AppendData("."u8);
        }
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    private static bool TryDecode(string presented, SignatureOptions scheme, out byte[] digest)
    {
        digest = [];
        if (scheme.Prefix is { Length: > 0 } prefix)
        {
            if (!presented.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                return false;
            presented = presented[prefix.Length..];
        }
        try
        {
            digest = scheme.Encoding == SignatureEncoding.Base64 ? Convert.FromBase64String(presented) : Convert.FromHexString(presented);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool TryParseTimestamp(string value, out DateTimeOffset sentAt)
    {
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            // Seconds until the year 2286; a larger number is milliseconds. Past year 9999 is simply far outside the
            // tolerance (checked without the exception FromUnixTime… would throw for an unauthenticated sender).
            var milliseconds = number < 10_000_000_000 ? number * 1000 : number;
            sentAt = milliseconds <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
                ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
                : DateTimeOffset.MaxValue;
            return true;
        }
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out sentAt);
    }
}
