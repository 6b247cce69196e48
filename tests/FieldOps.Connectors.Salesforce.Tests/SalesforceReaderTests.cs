using System.Text.Json.Nodes;

namespace FieldOps.Connectors.Salesforce.Tests;

/// <summary>The enrich read <c>query</c>: event data fills SOQL placeholders as literals, never as SOQL.</summary>
public sealed class SalesforceReaderTests
{
    [Fact]
    public void Bind_QuotesAndEscapesStrings_AndKeepsNumbersAndBooleans()
    {
        var binds = new JsonObject { ["name"] = "O'Brien \\ ' OR Name != '", ["limit"] = 5, ["open"] = false };

        Assert.True(SalesforceReader.TryBind("SELECT Id FROM Account WHERE Name = :name AND IsDeleted = :open LIMIT :limit", binds, out var soql, out _));

        Assert.Equal(@"SELECT Id FROM Account WHERE Name = 'O\'Brien \\ \' OR Name != \'' AND IsDeleted = false LIMIT 5", soql);
    }

    [Fact]
    public void Bind_LeavesColonsInsideLiteralsAndDateLiteralsAlone()
    {
        Assert.True(SalesforceReader.TryBind("SELECT Id FROM Case WHERE Subject = 'a:b' AND CreatedDate = LAST_N_DAYS:30 AND AccountId = :id",
            new JsonObject { ["id"] = "001" }, out var soql, out _));

        Assert.Equal("SELECT Id FROM Case WHERE Subject = 'a:b' AND CreatedDate = LAST_N_DAYS:30 AND AccountId = '001'", soql);
    }

    [Fact]
    public void Bind_APlaceholderWithoutABind_IsRefusedNamingIt()
    {
        Assert.False(SalesforceReader.TryBind("SELECT Id FROM Case WHERE AccountId = :accountId", new JsonObject(), out _, out var problem));

        Assert.Equal("params.soql uses :accountId, which params.binds does not give", problem);
    }
}
