using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace FieldOps.Integration.Testing.Vendors;

/// <summary>
/// QuickBooks' invoice endpoints on WireMock, adding up invoices as quickbooks-tax.md describes: <c>TotalAmt</c> =
/// sales lines − discount lines + tax (§5), the tax being the <c>TxnTaxDetail.TotalTax</c> sent (an override, §1) or,
/// when none is sent or overrides are ignored, <see cref="Rate"/> × the TAX lines (QuickBooks computing its own).
/// Same <c>requestid</c>, same invoice; reads and sends see what was created.
/// </summary>
public sealed class FakeInvoices
{
    private readonly ConcurrentDictionary<string, JsonObject> _byRequest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> _byId = new(StringComparer.Ordinal);
    // Lower than a test's own stubs (WireMock tries lower numbers first; 0 is the default), so a test can still inject a fault.
    private const int Priority = 100;
    private int _next = 146;

    /// <summary>The rate QuickBooks applies to TAX lines when it computes the tax itself.</summary>
    public decimal Rate { get; init; } = 0.08m;

    /// <summary>False: QuickBooks ignores a sent TotalTax (an AST company that allows no override).</summary>
    public bool KeepsTaxOverride { get; init; } = true;

    /// <summary>The tax codes of lines QuickBooks does not tax (the US pseudo code NON, or a company's exempt code id).</summary>
    public IReadOnlySet<string> NonTaxableCodes { get; init; } = new HashSet<string>(StringComparer.Ordinal) { "NON" };

    /// <summary>The company the invoices are made in: its setup is answered too, and its home currency is the invoices' <c>CurrencyRef</c>.</summary>
    public FakeCompany Company { get; init; } = new();

    private string Currency => Company.HomeCurrency;

    public void Register(WireMockServer server, string company)
    {
        ArgumentNullException.ThrowIfNull(server);
        Company.Register(server, company, Priority);
        server.Given(Request.Create().WithPath(company + "/invoice").UsingPost()).AtPriority(Priority)
            .RespondWith(Response.Create().WithCallback(Create));
        server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher($"^{company}/invoice/[0-9]+$")).UsingGet()).AtPriority(Priority)
            .RespondWith(Response.Create().WithCallback(Read));
        server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher($"^{company}/invoice/[0-9]+/send$")).UsingPost()).AtPriority(Priority)
            .RespondWith(Response.Create().WithCallback(Send));
    }

    private ResponseMessage Create(IRequestMessage request)
    {
        var requestId = request.Query?["requestid"].FirstOrDefault() ?? Guid.NewGuid().ToString("N");
        var invoice = _byRequest.GetOrAdd(requestId, _ =>
        {
            var created = JsonNode.Parse(request.Body!)!.AsObject();
            var id = Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
            created["Id"] = id;
            created["SyncToken"] = "0";
            created["CurrencyRef"] ??= new JsonObject { ["value"] = Currency }; // a multi-currency company keeps the one sent
            created["EmailStatus"] = "NeedToSend";
            AddUp(created);
            _byId[id] = created;
            return created;
        });
        return Reply(invoice);
    }

    private ResponseMessage Read(IRequestMessage request) =>
        _byId.TryGetValue(request.Path.Split('/')[^1], out var invoice) ? Reply(invoice) : NotFound();

    private ResponseMessage Send(IRequestMessage request)
    {
        if (!_byId.TryGetValue(request.Path.Split('/')[^2], out var invoice))
            return NotFound();
        invoice["EmailStatus"] = "EmailSent";
        return Reply(invoice);
    }

    private void AddUp(JsonObject invoice)
    {
        decimal sales = 0, discounts = 0, taxable = 0;
        var coded = new List<(string Code, decimal Amount)>();
        foreach (var line in invoice["Line"]?.AsArray() ?? [])
        {
            var amount = line!["Amount"]!.GetValue<decimal>();
            if (line["DetailType"]!.GetValue<string>() == "DiscountLineDetail")
            {
                discounts += amount;
                continue;
            }
            sales += amount;
            var code = line["SalesItemLineDetail"]?["TaxCodeRef"]?["value"]?.GetValue<string>();
            if (code is not null)
                coded.Add((code, amount));
            if (code is null || !NonTaxableCodes.Contains(code))
                taxable += amount;
        }
        // Tax lines sent (non-US) or a TotalTax sent (US override) are kept; otherwise the company computes its own:
        // per rate from its tax codes when it has any, else Rate × the taxable lines.
        var detail = invoice["TxnTaxDetail"] as JsonObject ?? [];
        var sentLines = detail["TaxLine"] is JsonArray taxLines ? taxLines.Sum(l => l!["Amount"]!.GetValue<decimal>()) : (decimal?)null;
        var sent = sentLines ?? detail["TotalTax"]?.GetValue<decimal>();
        var tax = sent is { } kept && KeepsTaxOverride
            ? kept
            : Company.TaxCodes.Count > 0 ? Company.ComputeTax(coded) : Math.Round(taxable * Rate, 2, MidpointRounding.AwayFromZero);
        if (detail.Parent is null)
            invoice["TxnTaxDetail"] = detail;
        detail["TotalTax"] = tax;
        invoice["TotalAmt"] = sales - discounts + tax;
        invoice["Balance"] = sales - discounts + tax;
    }

    private static ResponseMessage Reply(JsonObject invoice) => new()
    {
        StatusCode = 200,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
        BodyData = new BodyData
        {
            BodyAsString = new JsonObject { ["Invoice"] = invoice.DeepClone(), ["time"] = "2025-06-03T09:22:10.902-07:00" }.ToJsonString(),
            DetectedBodyType = BodyType.String,
        },
    };

    private static ResponseMessage NotFound() => new()
    {
        StatusCode = 400,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
        BodyData = new BodyData
        {
            BodyAsString = """{"Fault":{"Error":[{"Message":"Object Not Found","Detail":"Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.","code":"610"}],"type":"ValidationFault"}}""",
            DetectedBodyType = BodyType.String,
        },
    };
}
