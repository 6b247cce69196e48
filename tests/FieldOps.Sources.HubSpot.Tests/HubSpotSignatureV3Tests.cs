using System.Text;

namespace FieldOps.Sources.HubSpot.Tests;

/// <summary>
/// The v3 signature against the vectors in docs/reverse-directions.md (computed from HubSpot's documented recipe and
/// cross-checked with openssl): a fake client secret, a 216-byte contact.creation batch, and a fixed clock.
/// </summary>
public sealed class HubSpotSignatureV3Tests
{
    private const string Secret = "6f1c9d2e-4b7a-4e3f-9a81-2c5d7e0b1f34";
    private const string Timestamp = "1731612160000";
    private const string Body =
        """[{"eventId":100,"subscriptionId":2881778,"portalId":44237313,"appId":4210286,"occurredAt":1731612159499,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW"}]""";
    private const string UriA = "https://hub.example.com/webhooks/hubspot";
    private const string SignatureA = "IPXTQNZfo11OUHlOGtaSEqcwycEYK3Yt7R2U35+hm4c=";
    private static readonly DateTimeOffset SentAt = DateTimeOffset.FromUnixTimeMilliseconds(1731612160000);

    private static HubSpotSignatureCheck Verify(string uri, string? signature, string? timestamp = Timestamp, string body = Body, DateTimeOffset? now = null) =>
        HubSpotSignatureV3.Verify(Secret, "POST", uri, Encoding.UTF8.GetBytes(body), timestamp, signature, now ?? SentAt.AddSeconds(2), HubSpotSignatureV3.DefaultTolerance);

    [Fact]
    public void Compute_DocumentedRecipe_MatchesVectorA() =>
        Assert.Equal(SignatureA, HubSpotSignatureV3.Compute(Secret, "POST", UriA, Encoding.UTF8.GetBytes(Body), Timestamp));

    [Fact]
    public void Verify_GenuineRequest_IsValid() => Assert.Equal(HubSpotSignatureCheck.Valid, Verify(UriA, SignatureA));

    [Fact]
    public void Verify_TamperedBody_IsRefused() =>
        Assert.Equal(HubSpotSignatureCheck.Mismatch, Verify(UriA, SignatureA, body: Body.Replace("\"objectId\":123", "\"objectId\":124", StringComparison.Ordinal)));

    [Fact]
    public void Verify_TamperedTimestamp_IsRefused() => Assert.Equal(HubSpotSignatureCheck.Mismatch, Verify(UriA, SignatureA, timestamp: "1731612161000"));

    [Fact]
    public void Verify_OtherUri_IsRefused() => Assert.Equal(HubSpotSignatureCheck.Mismatch, Verify(UriA + "/", SignatureA));

    [Fact]
    public void Verify_HexInsteadOfBase64_IsRefused() =>
        Assert.Equal(HubSpotSignatureCheck.Mismatch, Verify(UriA, "20f5d340d65fa35d4e50794e1ad69212a730c9c1182b762ded1d94df9fa19b87"));

    [Fact]
    public void Verify_OlderThanFiveMinutes_IsStale() =>
        Assert.Equal(HubSpotSignatureCheck.Stale, Verify(UriA, SignatureA, now: SentAt + TimeSpan.FromMinutes(5) + TimeSpan.FromMilliseconds(1)));

    [Fact]
    public void Verify_JustInsideFiveMinutes_IsValid() =>
        Assert.Equal(HubSpotSignatureCheck.Valid, Verify(UriA, SignatureA, now: SentAt + TimeSpan.FromMinutes(5)));

    [Fact]
    public void Verify_FarInTheFuture_IsStale() => Assert.Equal(HubSpotSignatureCheck.Stale, Verify(UriA, SignatureA, now: SentAt - TimeSpan.FromMinutes(6)));

    [Fact]
    public void Verify_MissingHeaders_AreRefused()
    {
        Assert.Equal(HubSpotSignatureCheck.Missing, Verify(UriA, null));
        Assert.Equal(HubSpotSignatureCheck.Missing, Verify(UriA, SignatureA, timestamp: null));
        Assert.Equal(HubSpotSignatureCheck.BadTimestamp, Verify(UriA, SignatureA, timestamp: "2024-11-14T19:22:40Z"));
    }

    [Fact]
    public void Verify_EscapedColonInTheQuery_IsDecodedAsTheGuideSays()
    {
        const string called = "https://hub.example.com/webhooks/hubspot?tenant=acme%3Aprod";
        Assert.Equal("https://hub.example.com/webhooks/hubspot?tenant=acme:prod", HubSpotSignatureV3.CanonicalUri(called));
        Assert.Equal(HubSpotSignatureCheck.Valid, Verify(called, "igAi6sCTprxei8LT5Rz5eMHeikotTTsSTYvpZJGuI34="));
        Assert.Equal(HubSpotSignatureCheck.Mismatch, Verify(called, "zy9pFmMdeyEbtew63ht6QY0KcvC/1mkZLdXvx0Gqfn0="));
    }

    [Fact]
    public void CanonicalUri_LeavesEscapesOutsideTheTableAlone() =>
        Assert.Equal("https://h/x?a=b%20c%26d:e", HubSpotSignatureV3.CanonicalUri("https://h/x?a=b%20c%26d%3ae"));
}
