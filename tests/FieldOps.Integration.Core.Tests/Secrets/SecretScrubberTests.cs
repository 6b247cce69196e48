using FieldOps.Integration.Core.Secrets;
using Microsoft.Extensions.Configuration;

namespace FieldOps.Integration.Core.Tests.Secrets;

public sealed class SecretScrubberTests
{
    private static SecretScrubber FromSettings(params (string Key, string Value)[] settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Theory]
    [InlineData("Sources:acme:Secret")]
    [InlineData("Connectors:QuickBooks:ClientSecret")]
    [InlineData("Connectors:HubSpot:AccessToken")]
    [InlineData("Connectors:Jobber:RefreshToken")]
    [InlineData("Connectors:BambooHR:ApiKey")]
    [InlineData("Admin:ApiKey")]
    [InlineData("Smtp:Password")]
    [InlineData("Connectors:Http:Endpoints:erp:Headers:X-Api-Key")]
    [InlineData("Connectors:Http:Endpoints:erp:Headers:Authorization")]
    public void Scrub_ConfiguredSecret_IsReplacedWherever_ItAppears(string key)
    {
        var scrubber = FromSettings((key, "s3cr3t-value-42"));
        Assert.Equal("vendor said *** is wrong", scrubber.Scrub("vendor said s3cr3t-value-42 is wrong"));
    }

    [Fact]
    public void Scrub_ConnectionStringPassword_IsReplaced_ButTheRestKept()
    {
        var scrubber = FromSettings(("Store:ConnectionString", "Host=db;Username=app;Password=pg-pass-991"));
        Assert.Equal("login failed for app with ***", scrubber.Scrub("login failed for app with pg-pass-991"));
    }

    [Fact]
    public void Scrub_NonSecretSettings_AreKept()
    {
        var scrubber = FromSettings(("Connectors:Http:Connections:default:ClientId", "fieldops-client"), ("Store:Provider", "Sqlite"),
            ("Connectors:Http:Endpoints:erp:Headers:Content-Type", "application/xml"));
        Assert.Equal("client fieldops-client", scrubber.Scrub("client fieldops-client"));
        Assert.Equal(0, scrubber.Count);
    }

    [Fact]
    public void Scrub_TokenAddedLater_AndItsEscapedSpellings_AreReplaced()
    {
        var scrubber = new SecretScrubber();
        scrubber.Add("tok+en/with=chars");
        Assert.Equal("a *** b *** c ***", scrubber.Scrub("a tok+en/with=chars b tok\\u002Ben/with=chars c tok%2Ben%2Fwith%3Dchars"));
    }

    [Theory]
    [InlineData("Authorization: Bearer eyJhbGciOi.abc-def_ghi", "Authorization: Bearer ***")]
    [InlineData("basic dXNlcjpwYXNz==", "basic ***")]
    [InlineData("{\"refresh_token\": \"r1\", \"id\": 5}", "{\"refresh_token\": \"***\", \"id\": 5}")]
    [InlineData("grant_type=refresh_token&refresh_token=abc123&client_secret=xyz", "grant_type=refresh_token&refresh_token=***&client_secret=***")]
    public void Scrub_SecretShapedValues_AreReplacedWithoutBeingKnown(string text, string expected) =>
        Assert.Equal(expected, new SecretScrubber().Scrub(text));

    [Fact]
    public void Scrub_ShortValues_AreNotTreatedAsSecrets()
    {
        var scrubber = FromSettings(("Sources:a:Secret", "abc"));
        Assert.Equal("abcdef", scrubber.Scrub("abcdef"));
    }
}
