using System.Text.Json.Nodes;

namespace FieldOps.LoadDriver;

/// <summary>QuickBooks Online: token, company setup, item and customer query, customer create, invoice create (replayed by requestid), read and send.</summary>
internal sealed partial class VendorStubs
{
    private const string Time = "2026-01-01T00:00:00.000-08:00";

    private void MapQuickBooks(WebApplication app)
    {
        app.MapPost("/oauth2/v1/tokens/bearer", () => Results.Json(new
        {
            token_type = "bearer", access_token = "qb-stub-access", refresh_token = "qb-stub-refresh", expires_in = 3600,
            x_refresh_token_expires_in = 8_726_400,
        }));
        // The company's own setup: a US company with Automated Sales Tax, in US dollars.
        app.MapGet("/v3/company/{realm}/companyinfo/{id}", (string realm) => Results.Json(new JsonObject
        {
            ["CompanyInfo"] = new JsonObject { ["Id"] = "1", ["SyncToken"] = "0", ["CompanyName"] = "Load Driver Co.", ["Country"] = "US" },
            ["time"] = Time,
        }));
        app.MapGet("/v3/company/{realm}/preferences", () => Results.Json(new JsonObject
        {
            ["Preferences"] = new JsonObject
            {
                ["Id"] = "1", ["SyncToken"] = "0",
                ["TaxPrefs"] = new JsonObject { ["UsingSalesTax"] = true, ["PartnerTaxEnabled"] = true },
                ["CurrencyPrefs"] = new JsonObject { ["MultiCurrencyEnabled"] = false, ["HomeCurrency"] = new JsonObject { ["value"] = "USD" } },
            },
            ["time"] = Time,
        }));
        // An invoice line's item is found by name (one Service item per name); customers are new (none found, created).
        app.MapGet("/v3/company/{realm}/query", (string query) =>
            query.Contains(" from Item ", StringComparison.OrdinalIgnoreCase)
                ? Results.Json(new JsonObject
                {
                    ["QueryResponse"] = new JsonObject { ["Item"] = new JsonArray(new JsonObject { ["Id"] = "1", ["Name"] = "Services", ["Type"] = "Service", ["SyncToken"] = "0" }) },
                    ["time"] = Time,
                })
                : Results.Json(new JsonObject { ["QueryResponse"] = new JsonObject(), ["time"] = Time }));
        app.MapPost("/v3/company/{realm}/customer", async (HttpRequest request, string requestid) =>
        {
            var body = await BodyAsync(request).ConfigureAwait(false);
            var client = ClientOf(body["Notes"]?.GetValue<string>());
            var id = Once(requestid, "qb-customer:" + client);
            _customerClient[id] = client;
            body["Id"] = id;
            body["SyncToken"] = "0";
            return Results.Json(new JsonObject { ["Customer"] = body, ["time"] = Time });
        });
        app.MapPost("/v3/company/{realm}/invoice", async (HttpRequest request, string requestid) =>
        {
            var body = await BodyAsync(request).ConfigureAwait(false);
            var customer = body["CustomerRef"]?["value"]?.GetValue<string>() ?? "";
            if (!_customerClient.TryGetValue(customer, out var client))
                return Results.Json(Fault("2500", $"Invalid Reference Id: customer {customer}"), statusCode: 400);
            var id = Once(requestid, "qb-invoice:" + client);
            _invoiceClient[id] = client;
            _invoiceTotals.TryAdd(id, TotalOf(body));
            return Results.Json(Invoice(id));
        });
        app.MapGet("/v3/company/{realm}/invoice/{id}", (string id) =>
            _invoiceClient.ContainsKey(id) ? Results.Json(Invoice(id)) : Results.Json(Fault("610", "Object Not Found"), statusCode: 400));
        app.MapPost("/v3/company/{realm}/invoice/{id}/send", (string id) =>
        {
            if (!_invoiceClient.TryGetValue(id, out var client))
                return Results.Json(Fault("610", "Object Not Found"), statusCode: 400);
            _emailed[id] = true;
            Record("qb-send:" + client);
            return Results.Json(Invoice(id));
        });
    }

    /// <summary>The first call with a requestid makes the effect; a replay answers with the same entity.</summary>
    private string Once(string requestId, string effect)
    {
        var made = false;
        var id = _requests.GetOrAdd(requestId, _ => { made = true; return NextId("", 6); });
        if (made)
            Record(effect);
        return id;
    }

    private JsonObject Invoice(string id) => new()
    {
        ["Invoice"] = new JsonObject
        {
            ["Id"] = id, ["SyncToken"] = "0", ["EmailStatus"] = _emailed.ContainsKey(id) ? "EmailSent" : "NeedToSend",
            ["TotalAmt"] = _invoiceTotals.GetValueOrDefault(id), ["CurrencyRef"] = new JsonObject { ["value"] = "USD" },
        },
        ["time"] = Time,
    };

    // TotalAmt as QuickBooks computes it: the lines' amounts (a discount line subtracts) plus the tax the invoice carries.
    private static decimal TotalOf(JsonNode invoice)
    {
        var total = 0m;
        foreach (var line in invoice["Line"]?.AsArray() ?? [])
        {
            var amount = line?["Amount"]?.GetValue<decimal>() ?? 0m;
            total += line?["DetailType"]?.GetValue<string>() switch
            {
                "SalesItemLineDetail" => amount,
                "DiscountLineDetail" => -amount,
                _ => 0m,
            };
        }
        return total + (invoice["TxnTaxDetail"]?["TotalTax"]?.GetValue<decimal>() ?? 0m);
    }

    private static JsonObject Fault(string code, string message) => new()
    {
        ["Fault"] = new JsonObject
        {
            ["Error"] = new JsonArray(new JsonObject { ["Message"] = message, ["Detail"] = message, ["code"] = code }),
            ["type"] = "ValidationFault",
        },
        ["time"] = Time,
    };

    // The connector marks the customers it creates with "fieldops:{source client id}" in Notes.
    private static string ClientOf(string? notes) =>
        notes?.Split(['\n', ' '], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(p => p.StartsWith("fieldops:", StringComparison.Ordinal))?["fieldops:".Length..]
        ?? "unknown";
}
