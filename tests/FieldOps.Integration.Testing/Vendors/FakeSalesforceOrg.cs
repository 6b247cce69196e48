using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Integration.Testing.Vendors;

/// <summary>
/// A Salesforce org's query endpoint on WireMock: it holds Case records and answers the poll's SOQL shape for real —
/// the SystemModstamp lower bound, the (SystemModstamp, Id) keyset condition, ORDER BY SystemModstamp, Id and LIMIT —
/// and the client-credentials token call. Anything else in the query is ignored. With <see cref="AcceptUpdates"/>, a
/// PATCH of a Case changes the record as the org would: the fields, <c>LastModifiedById</c> (the API user) and a later
/// <c>SystemModstamp</c>, so the next poll sees the change.
/// </summary>
public sealed partial class FakeSalesforceOrg
{
    private readonly List<(string Id, DateTimeOffset Modstamp, JsonObject Fields)> _cases = [];
    private readonly Lock _gate = new();
    private readonly WireMockServer _server;

    public FakeSalesforceOrg(WireMockServer server)
    {
        _server = server;
        server.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"access_token":"00Dxx0000001gPL!AR8AQJXg","instance_url":"{{server.Url}}","token_type":"Bearer","issued_at":"1733299200000"}"""));
        server.Given(Request.Create().WithPath("/services/data/v62.0/query").UsingGet())
            .RespondWith(Response.Create().WithCallback(request => Answer(request.Query!["q"].Single())));
    }

    public List<string> Queries { get; } = [];

    /// <summary>A <c>salesforce</c> source polling this org (keys under <c>Sources:{name}</c>), with the given page size and interval.</summary>
    public Dictionary<string, string?> SourceSettings(int pageSize = 2, string interval = "00:05:00") => new()
    {
        ["Kind"] = "salesforce",
        ["ApiBaseUrl"] = _server.Url,
        ["TokenUrl"] = _server.Url + "/services/oauth2/token",
        ["ClientId"] = "3MVG9-test-consumer-key",
        ["Secret"] = "test-consumer-secret",
        ["Poll:Adapter"] = "salesforce",
        ["Poll:Interval"] = interval,
        ["Poll:PageSize"] = pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Poll:Overlap"] = "00:01:00",
    };

    public void Add(string id, string modstamp, string subject) => Add(id, modstamp, new JsonObject { ["Subject"] = subject });

    /// <summary>Adds (or changes) a Case with <paramref name="fields"/> besides Id and SystemModstamp.</summary>
    public void Add(string id, string modstamp, JsonObject fields)
    {
        lock (_gate)
            _cases.Add((id, DateTimeOffset.Parse(modstamp, CultureInfo.InvariantCulture), fields));
    }

    /// <summary>Answers a PATCH of a Case with 204 and applies it, as the API user <paramref name="apiUserId"/>, one minute after the Case's last change.</summary>
    public void AcceptUpdates(string apiUserId) =>
        _server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher("^/services/data/v62.0/sobjects/Case/[A-Za-z0-9]+$")).UsingPatch())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var id = request.Path[(request.Path.LastIndexOf('/') + 1)..];
                var changes = JsonNode.Parse(request.Body!)!.AsObject();
                lock (_gate)
                {
                    var current = _cases.Last(c => c.Id == id);
                    var fields = current.Fields.DeepClone().AsObject();
                    foreach (var (name, value) in changes)
                        fields[name] = value?.DeepClone();
                    fields["LastModifiedById"] = apiUserId;
                    _cases.Remove(current);
                    _cases.Add((id, current.Modstamp.AddMinutes(1), fields));
                }
                return new WireMock.ResponseMessage { StatusCode = 204 };
            }));

    private WireMock.ResponseMessage Answer(string soql)
    {
        List<(string Id, DateTimeOffset Modstamp, JsonObject Fields)> rows;
        lock (_gate)
        {
            Queries.Add(soql);
            IEnumerable<(string Id, DateTimeOffset Modstamp, JsonObject Fields)> query = _cases;
            if (Since().Match(soql) is { Success: true } since)
                query = query.Where(c => c.Modstamp >= Stamp(since.Groups[1].Value));
            if (After().Match(soql) is { Success: true } after)
            {
                var (stamp, id) = (Stamp(after.Groups[1].Value), after.Groups[3].Value);
                query = query.Where(c => c.Modstamp > stamp || (c.Modstamp == stamp && string.CompareOrdinal(c.Id, id) > 0));
            }
            var limit = int.Parse(Limit().Match(soql).Groups[1].Value, CultureInfo.InvariantCulture);
            rows = query.OrderBy(c => c.Modstamp).ThenBy(c => c.Id, StringComparer.Ordinal).Take(limit)
                .Select(c => (c.Id, c.Modstamp, c.Fields.DeepClone().AsObject())).ToList();
        }
        var records = new JsonArray(rows.Select(c =>
        {
            var record = new JsonObject
            {
                ["attributes"] = new JsonObject { ["type"] = "Case", ["url"] = $"/services/data/v62.0/sobjects/Case/{c.Id}" },
                ["Id"] = c.Id,
                // Salesforce writes the offset without a colon.
                ["SystemModstamp"] = c.Modstamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture),
            };
            foreach (var (name, value) in c.Item3)
                record[name] = value?.DeepClone();
            return (JsonNode)record;
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
