using System.Text.Json.Nodes;
using FieldOps.Integration.Testing;
using FieldOps.Integration.Testing.EndToEnd;
using FieldOps.Integration.Core.Outbox;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using static FieldOps.Integration.Testing.VendorAnswers;

namespace FieldOps.Integration.Host.Tests.EndToEnd;
/// <summary>A client no target has seen, named with quotes and non-ASCII letters: the exact customer and invoice bodies.</summary>
public sealed partial class JobCompletedEndToEndTests
{
    [Fact]
    public async Task JobClosed_NeverSeenClientWithQuotesAndNonAscii_MixedLines_ExactCustomerAndInvoiceBodies_Sent()
    {
        // A hydrated JOB_CLOSED for a client QuickBooks has never seen, named with quotes and non-ASCII letters and an
        // e-mail in mixed case; taxable and non-taxable lines, a zero-quantity line, 0.1 + 0.2 lines, a line whose
        // product rounds half up (0.5 × 4.49 = 2.245 → 2.25) and a discount; 12.20 of tax. Through the shipped flow,
        // router, dispatcher and connector: the exact customer and invoice QuickBooks receives, and the invoice sent.
        var job = JsonNode.Parse(File.ReadAllText(Path.Combine(DeliveryPipeline.ShippedMappings, "samples", "jobber-job-closed.json")))!;
        var record = job["record"]!;
        record["client"]!["name"] = "Søren \"Ski\" O'Brien – Ærø Heating";
        record["client"]!["firstName"] = "Søren";
        record["client"]!["lastName"] = "O'Brien";
        record["client"]!["emails"] = JsonNode.Parse("""[{"address": "Soren.OBrien@Example.COM", "primary": true}]""");
        record["lineItems"] = JsonNode.Parse("""
            {"nodes": [
              {"id": "L1", "name": "Furnace service", "description": "Annual furnace service", "quantity": 1, "unitPrice": 149.97, "totalPrice": 149.97, "taxable": true},
              {"id": "L2", "name": "Trip charge", "description": null, "quantity": 1, "unitPrice": 45.00, "totalPrice": 45.00, "taxable": false},
              {"id": "L3", "name": "Igniter", "description": "Not needed after all", "quantity": 0, "unitPrice": 19.99, "totalPrice": 0, "taxable": true},
              {"id": "L4", "name": "Washer", "description": null, "quantity": 1, "unitPrice": 0.1, "totalPrice": 0.1, "taxable": true},
              {"id": "L5", "name": "Seal", "description": null, "quantity": 1, "unitPrice": 0.2, "totalPrice": 0.2, "taxable": true},
              {"id": "L6", "name": "Filter", "description": null, "quantity": 0.5, "unitPrice": 4.49, "totalPrice": 2.25, "taxable": true},
              {"id": "L7", "name": "Loyalty discount", "description": null, "quantity": 1, "unitPrice": -25.00, "totalPrice": -25.00, "taxable": false}
            ]}
            """);
        record["total"] = 184.72;
        ArrangeQuickBooks();
        _quickBooks.Given(Request.Create().WithPath(Company + "/query").UsingGet()
                .WithParam("query", new WildcardMatcher("select * from Customer where DisplayName = *")))
            .RespondWith(JsonReply(200, """{"QueryResponse":{},"time":"2025-06-03T09:20:01.118-07:00"}"""));
        ArrangeBambooHr();
        await using var worker = await AccountingPipeline.StartAsync(_quickBooks.Url!, _bambooHr.Url!, new Dictionary<string, string?>
        {
            ["Connectors:QuickBooks:Items:Trip charge"] = "35", ["Connectors:QuickBooks:Items:Washer"] = "36",
            ["Connectors:QuickBooks:Items:Seal"] = "37", ["Connectors:QuickBooks:Items:Filter"] = "38",
            ["Connectors:QuickBooks:DiscountAccount"] = "86",
        });

        await worker.AppendAsync(AccountingPipeline.Source, job.ToJsonString());
        var rows = await worker.SettleConnectorsAsync(SettleLimit, "quickbooks");

        Assert.True(rows.All(r => r.State == OutboxStates.Delivered), string.Join("\n", rows));
        // The name reaches QuickBooks' query language escaped, and the customer as written.
        Assert.Single(_quickBooks.Calls("GET", "/query"), c => c.QueryParam("query") == "select * from Customer where DisplayName = 'Søren \"Ski\" O\\'Brien – Ærø Heating'");
        var customer = Assert.Single(_quickBooks.Calls("POST", "/customer")).JsonBody();
        Assert.Equal("Søren \"Ski\" O'Brien – Ærø Heating", customer["DisplayName"]!.GetValue<string>());
        Assert.Equal("Søren", customer["GivenName"]!.GetValue<string>());
        Assert.Equal("O'Brien", customer["FamilyName"]!.GetValue<string>());
        JsonAssert.Equal("""{"Address": "Soren.OBrien@Example.COM"}""", customer["PrimaryEmailAddr"]!);

        var invoice = _quickBooks.Calls("POST", Company + "/invoice")[^1].JsonBody();
        JsonAssert.Equal("""
            [{"DetailType": "SalesItemLineDetail", "Amount": 149.97, "Description": "Annual furnace service",
              "SalesItemLineDetail": {"ItemRef": {"name": "Furnace service", "value": "21"}, "Qty": 1, "UnitPrice": 149.97, "TaxCodeRef": {"value": "TAX"}}},
             {"DetailType": "SalesItemLineDetail", "Amount": 45, "Description": "Trip charge",
              "SalesItemLineDetail": {"ItemRef": {"name": "Trip charge", "value": "35"}, "Qty": 1, "UnitPrice": 45, "TaxCodeRef": {"value": "NON"}}},
             {"DetailType": "SalesItemLineDetail", "Amount": 0, "Description": "Not needed after all",
              "SalesItemLineDetail": {"ItemRef": {"name": "Igniter", "value": "34"}, "Qty": 0, "UnitPrice": 19.99, "TaxCodeRef": {"value": "TAX"}}},
             {"DetailType": "SalesItemLineDetail", "Amount": 0.1, "Description": "Washer",
              "SalesItemLineDetail": {"ItemRef": {"name": "Washer", "value": "36"}, "Qty": 1, "UnitPrice": 0.1, "TaxCodeRef": {"value": "TAX"}}},
             {"DetailType": "SalesItemLineDetail", "Amount": 0.2, "Description": "Seal",
              "SalesItemLineDetail": {"ItemRef": {"name": "Seal", "value": "37"}, "Qty": 1, "UnitPrice": 0.2, "TaxCodeRef": {"value": "TAX"}}},
             {"DetailType": "SalesItemLineDetail", "Amount": 2.25, "Description": "Filter",
              "SalesItemLineDetail": {"ItemRef": {"name": "Filter", "value": "38"}, "Qty": 0.5, "UnitPrice": 4.49, "TaxCodeRef": {"value": "TAX"}}},
             {"DetailType": "DiscountLineDetail", "Amount": 25, "Description": "Loyalty discount",
              "DiscountLineDetail": {"PercentBased": false, "DiscountAccountRef": {"value": "86"}}}]
            """, invoice["Line"]!);
        JsonAssert.Equal("""{"TotalTax": 12.20}""", invoice["TxnTaxDetail"]!);
        Assert.Equal("59", invoice["CustomerRef"]!["value"]!.GetValue<string>());
        // QuickBooks' total (197.52 − 25 + 12.20) is the job's 184.72: sent, to the address as Jobber has it.
        Assert.Equal("Soren.OBrien@Example.COM", Assert.Single(_quickBooks.Calls("POST", "/send")).QueryParam("sendTo"));
    }
}
