using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Sources.Salesforce.Tests;

/// <summary>
/// A Salesforce org's query endpoint on WireMock: it holds Case records and answers the poll's SOQL shape for real —
/// the SystemModstamp lower bound, the (SystemModstamp, Id) keyset condition, ORDER BY SystemModstamp, Id and LIMIT —
/// and the client-credentials token call. Anything else in the query is ignored.
/// </summary>
internal sealed partial class FakeSalesforceOrg
{
    private readonly List<(string Id, DateTimeOffset Modstamp, string Subject)> _cases = [];
    private readonly Lock _gate = new();

    public FakeSalesforceOrg(WireMockServer server)
    {
        server.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json")
                .WithBody("""{"access_token":"00Dxx0000001gPL!AR8AQJXg","instance_url":"https://example.my.salesforce.com","token_type":"Bearer"}"""));
        server.Given(Request.Create().WithPath("/services/data/v62.0/query").UsingGet())
            .RespondWith(Response.Create().WithCallback(request => Answer(request.Query!["q"].Single())));
    }

    public List<string> Queries { get; } = [];

    public void Add(string id, string modstamp, string subject)
    {
        lock (_gate)
            _cases.Add((id, DateTimeOffset.Parse(modstamp, CultureInfo.InvariantCulture), subject));
    }

    private WireMock.ResponseMessage Answer(string soql)
    {
        List<(string Id, DateTimeOffset Modstamp, string Subject)> rows;
        lock (_gate)
        {
            Queries.Add(soql);
            IEnumerable<(string Id, DateTimeOffset Modstamp, string Subject)> query = _cases;
            if (Since().Match(soql) is { Success: true } since)
                query = query.Where(c => c.Modstamp >= Stamp(since.Groups[1].Value));
            if (After().Match(soql) is { Success: true } after)
            {
                var (stamp, id) = (Stamp(after.Groups[1].Value), after.Groups[3].Value);
                query = query.Where(c => c.Modstamp > stamp || (c.Modstamp == stamp && string.CompareOrdinal(c.Id, id) > 0));
            }
            var limit = int.Parse(Limit().Match(soql).Groups[1].Value, CultureInfo.InvariantCulture);
            rows = query.OrderBy(c => c.Modstamp).ThenBy(c => c.Id, StringComparer.Ordinal).Take(limit).ToList();
        }
        var records = new JsonArray(rows.Select(c => (JsonNode)new JsonObject
        {
            ["attributes"] = new JsonObject { ["type"] = "Case", ["url"] = $"/services/data/v62.0/sobjects/Case/{c.Id}" },
            ["Id"] = c.Id,
            // Salesforce writes the offset without a colon.
            ["SystemModstamp"] = c.Modstamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture),
            ["Subject"] = c.Subject,
        }).ToArray());
        var body = new JsonObject { ["totalSize"] = rows.Count, ["done"] = true, ["records"] = records };
        return new WireMock.ResponseMessage
        {
            StatusCode = 200,
            Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json") },
            BodyData = new WireMock.Util.BodyData { BodyAsString = body.ToJsonString(), DetectedBodyType = WireMock.Types.BodyType.String },
        };
    }

    private static DateTimeOffset Stamp(string literal) => DateTimeOffset.Parse(literal, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    [GeneratedRegex(@"SystemModstamp >= (\S+Z)")]
    private static partial Regex Since();

    [GeneratedRegex(@"\(SystemModstamp > (\S+Z) OR \(SystemModstamp = (\S+Z) AND Id > '(\w+)'\)\)")]
    private static partial Regex After();

    [GeneratedRegex(@"LIMIT (\d+)")]
    private static partial Regex Limit();
}
