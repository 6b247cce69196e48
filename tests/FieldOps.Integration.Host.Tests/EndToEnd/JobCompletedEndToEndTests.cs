using System.Text.Json.Nodes;
using FieldOps.Integration.Testing;
using FieldOps.Integration.Testing.EndToEnd;
using FieldOps.Integration.Testing.Vendors;
using FieldOps.Integration.Core.Outbox;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static FieldOps.Integration.Testing.VendorAnswers;

namespace FieldOps.Integration.Host.Tests.EndToEnd;

/// <summary>
/// The shipped job-completed flows, from a hydrated Jobber JOB_CLOSED in the inbox through the router and the
/// dispatcher to QuickBooks and BambooHR on WireMock answering like the fixtures — with the invoice's first response
/// lost on the way back.
/// </summary>
public sealed partial class JobCompletedEndToEndTests : IAsyncDisposable
{
    private const string Company = $"/v3/company/{FakeCompany.Realm}";
    private const string JobberClientId = "Z2lkOi8vSm9iYmVyL0NsaWVudC8xMjM0NQ==";
    private const string JobberJobId = "Z2lkOi8vSm9iYmVyL0pvYi80MjQy";
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(45);
    private const string ClientTimeout = "00:00:02";
    private static readonly TimeSpan LateAnswer = TimeSpan.FromSeconds(5);
    private readonly WireMockServer _quickBooks = WireMockServer.Start();
    private readonly WireMockServer _bambooHr = WireMockServer.Start();

    [Fact]
    public async Task JobClosed_ThroughShippedFlows_CustomerCreatedInvoiceCreatedOnceSentOnceHoursLoggedOnce()
    {
        ArrangeQuickBooks();
        ArrangeBambooHr();
        await using var worker = await AccountingPipeline.StartAsync(_quickBooks.Url!, _bambooHr.Url!);

        await worker.AppendAsync(AccountingPipeline.Source, File.ReadAllText(Path.Combine(DeliveryPipeline.ShippedMappings, "samples", "jobber-job-closed.json")));
        var rows = await worker.SettleConnectorsAsync(SettleLimit, "quickbooks", "bamboohr");

        Assert.True(rows.All(r => r.State == OutboxStates.Delivered), string.Join("\n", rows));
        Assert.Equal(["customer", "invoice", "send"], rows.Where(r => r.Connector == "quickbooks").Select(r => r.OperationKey));
        Assert.Equal(2, rows.Count(r => r.Connector == "bamboohr"));

        // Customer: not known, not found by name, created once with our marker; its id reached the invoice.
        var customer = Assert.Single(_quickBooks.Calls("POST", "/customer"));
        Assert.Equal("Dana Whitfield", customer.JsonBody()["DisplayName"]!.GetValue<string>());
        Assert.Contains($"fieldops:{JobberClientId}", customer.JsonBody()["Notes"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("59", await worker.XrefAsync("quickbooks", "Customer", JobberClientId));

        // Invoice: the first response was lost; the retry carried the same requestid, so QuickBooks holds one invoice.
        var invoices = _quickBooks.Calls("POST", Company + "/invoice");
        Assert.True(invoices.Count >= 2, $"expected a retry after the lost response, saw {invoices.Count} invoice call(s)");
        Assert.Single(invoices.Select(i => i.QueryParam("requestid")).Distinct());
        Assert.Equal("59", invoices[^1].JsonBody()["CustomerRef"]!["value"]!.GetValue<string>());
        Assert.Equal(59.97m, invoices[^1].JsonBody()["Line"]![1]!["Amount"]!.GetValue<decimal>());
        // Items: by the table (Furnace service → 21), then by name (Igniter → 34); tax as the job has it.
        Assert.Equal(["21", "34"], invoices[^1].JsonBody()["Line"]!.AsArray().Select(l => l!["SalesItemLineDetail"]!["ItemRef"]!["value"]!.GetValue<string>()));
        Assert.Equal(16.06m, invoices[^1].JsonBody()["TxnTaxDetail"]!["TotalTax"]!.GetValue<decimal>());
        Assert.Equal("147", await worker.XrefAsync("quickbooks", "Invoice", JobberJobId));

        // Sent once, to the customer's address.
        var send = Assert.Single(_quickBooks.Calls("POST", "/send"));
        Assert.Equal("dana.whitfield@example.com", send.QueryParam("sendTo"));

        // Hours: one record per technician and day, employees found by work email, the directory read once; both
        // technicians' records (two partition keys, claimed together) in one bulk call, sent once.
        Assert.Single(_bambooHr.Calls("GET", "/api/v1/employees/directory"));
        Assert.Single(_bambooHr.Calls("POST", FakeBambooHRHours.Path));
        var records = _bambooHr.LogEntries.Where(e => e.RequestMessage.Path == "/api/v1/timetracking/record")
            .SelectMany(e => JsonNode.Parse(e.RequestMessage.Body!)!.AsArray()).Select(r => r!.AsObject()).ToList();
        Assert.Equal(2, records.Count);
        Assert.Equal(2, records.Select(r => r["timeTrackingId"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(["501 2025-03-14 1.5", "502 2025-03-14 0.75"], records
            .Select(r => $"{r["employeeId"]} {r["dateHoursWorked"]} {r["hoursWorked"]}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task JobClosed_InvoiceSendWhoseAnswerIsLostAfterQuickBooksEmailedIt_IsFoundByEmailStatusAndNotSentAgain()
    {
        ArrangeQuickBooks();
        ArrangeBambooHr();
        // A real socket that drops the send's answer after QuickBooks emailed the invoice (EmailStatus is EmailSent).
        await using var front = await Integration.Testing.Faults.CommitThenAbortFront.StartAsync(_quickBooks.Url!, "POST", Company + "/invoice/147/send");
        await using var worker = await AccountingPipeline.StartAsync(_quickBooks.Url!, _bambooHr.Url!, new Dictionary<string, string?> { ["Connectors:QuickBooks:BaseUrl"] = front.Url });

        await worker.AppendAsync(AccountingPipeline.Source, File.ReadAllText(Path.Combine(DeliveryPipeline.ShippedMappings, "samples", "jobber-job-closed.json")));
        var rows = await worker.SettleConnectorsAsync(SettleLimit, "quickbooks");

        Assert.True(rows.All(r => r.State == OutboxStates.Delivered), string.Join("\n", rows));
        Assert.Equal(1, front.Aborted);
        Assert.Single(_quickBooks.Calls("POST", "/send"));
        var attempts = await worker.AttemptsOfOperationAsync("send");
        Assert.Equal([Integration.Core.Connectors.OutcomeKind.OutcomeUnknown, Integration.Core.Connectors.OutcomeKind.Delivered], attempts.Select(a => a.Outcome));
        Assert.StartsWith("effect check: already applied", attempts[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobClosed_InvoiceSendAnsweredOnlyAfterTheClientTimeout_IsFoundByEmailStatusAndNotSentAgain()
    {
        ArrangeQuickBooks();
        ArrangeBambooHr();
        // QuickBooks emails the invoice at once but answers only after our 2 s client timeout.
        await using var front = await Integration.Testing.Faults.CommitThenAbortFront.StartLateAsync(_quickBooks.Url!, "POST", Company + "/invoice/147/send", LateAnswer);
        await using var worker = await AccountingPipeline.StartAsync(_quickBooks.Url!, _bambooHr.Url!, new Dictionary<string, string?>
        {
            ["Connectors:QuickBooks:BaseUrl"] = front.Url,
            ["Connectors:QuickBooks:Timeout"] = ClientTimeout,
        });

        await worker.AppendAsync(AccountingPipeline.Source, File.ReadAllText(Path.Combine(DeliveryPipeline.ShippedMappings, "samples", "jobber-job-closed.json")));
        var rows = await worker.SettleConnectorsAsync(SettleLimit, "quickbooks");

        Assert.True(rows.All(r => r.State == OutboxStates.Delivered), string.Join("\n", rows));
        Assert.Equal(1, front.Aborted);
        Assert.Single(_quickBooks.Calls("POST", "/send"));
        var attempts = await worker.AttemptsOfOperationAsync("send");
        Assert.Equal([Integration.Core.Connectors.OutcomeKind.OutcomeUnknown, Integration.Core.Connectors.OutcomeKind.Delivered], attempts.Select(a => a.Outcome));
        Assert.Contains("Timeout", attempts[0].Message, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("effect check: already applied", attempts[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobClosed_InvoiceSendWhoseAnswerIsLost_AndWhoseEffectCheckFailsOnce_IsCheckedAgainAndSentOnce()
    {
        ArrangeQuickBooks();
        ArrangeBambooHr();
        await using var front = await Integration.Testing.Faults.CommitThenAbortFront.StartAsync(_quickBooks.Url!, "POST", Company + "/invoice/147/send");
        // The effect check's own read of the invoice (the first one after the lost answer) fails once.
        front.FailAfterDrop("GET", Company + "/invoice/147", 500);
        await using var worker = await AccountingPipeline.StartAsync(_quickBooks.Url!, _bambooHr.Url!, new Dictionary<string, string?> { ["Connectors:QuickBooks:BaseUrl"] = front.Url });

        await worker.AppendAsync(AccountingPipeline.Source, File.ReadAllText(Path.Combine(DeliveryPipeline.ShippedMappings, "samples", "jobber-job-closed.json")));
        var rows = await worker.SettleConnectorsAsync(SettleLimit, "quickbooks");

        Assert.True(rows.All(r => r.State == OutboxStates.Delivered), string.Join("\n", rows));
        Assert.Equal(1, front.Aborted);
        Assert.Equal(1, front.Failed);
        Assert.Single(_quickBooks.Calls("POST", "/send"));
        var attempts = await worker.AttemptsOfOperationAsync("send");
        Assert.Equal([Integration.Core.Connectors.OutcomeKind.OutcomeUnknown, Integration.Core.Connectors.OutcomeKind.OutcomeUnknown, Integration.Core.Connectors.OutcomeKind.Delivered],
            attempts.Select(a => a.Outcome));
        Assert.StartsWith("effect check failed", attempts[1].Message, StringComparison.Ordinal);
        Assert.StartsWith("effect check: already applied", attempts[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobClosed_HoursAnsweredOnlyAfterTheClientTimeout_AreLoggedAgainUnderTheSameIds_OneRecordPerTechnician()
    {
        ArrangeQuickBooks();
        ArrangeBambooHr();
        // BambooHR stores the hour records at once but answers only after our 2 s client timeout.
        await using var front = await Integration.Testing.Faults.CommitThenAbortFront.StartLateAsync(_bambooHr.Url!, "POST", "/api/v1/timetracking/record", LateAnswer);
        await using var worker = await AccountingPipeline.StartAsync(_quickBooks.Url!, _bambooHr.Url!, new Dictionary<string, string?>
        {
            ["Connectors:BambooHR:BaseUrl"] = front.Url,
            ["Connectors:BambooHR:Timeout"] = ClientTimeout,
        });

        await worker.AppendAsync(AccountingPipeline.Source, File.ReadAllText(Path.Combine(DeliveryPipeline.ShippedMappings, "samples", "jobber-job-closed.json")));
        var rows = await worker.SettleConnectorsAsync(SettleLimit, "bamboohr");

        Assert.True(rows.Count == 2 && rows.All(r => r.State == OutboxStates.Delivered), string.Join("\n", rows));
        Assert.Equal(1, front.Aborted);
        // BambooHR creates or updates by timeTrackingId: a repeat carries the same id, so each technician has one record.
        var posted = _bambooHr.LogEntries.Where(e => e.RequestMessage.Path == "/api/v1/timetracking/record")
            .SelectMany(e => JsonNode.Parse(e.RequestMessage.Body!)!.AsArray()).Select(r => r!.AsObject()).ToList();
        Assert.True(posted.Count > 2, $"expected a retry after the late answer, saw {posted.Count} record(s) posted");
        Assert.Equal(2, posted.Select(r => r["timeTrackingId"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(2, posted.Select(r => $"{r["employeeId"]} {r["dateHoursWorked"]} {r["hoursWorked"]}").Distinct().Count());
        var outcomes = await worker.AllAttemptsAsync("bamboohr");
        Assert.Contains(outcomes, a => a.Outcome == Integration.Core.Connectors.OutcomeKind.Transient && a.Message!.Contains("Timeout", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task JobClosed_QuickBooksTotalDiffersFromTheJob_InvoiceDeadLetteredAsBusiness_NeverSent()
    {
        ArrangeQuickBooks(new FakeInvoices { KeepsTaxOverride = false, Rate = 0.05m });
        ArrangeBambooHr();
        await using var worker = await AccountingPipeline.StartAsync(_quickBooks.Url!, _bambooHr.Url!);

        await worker.AppendAsync(AccountingPipeline.Source, File.ReadAllText(Path.Combine(DeliveryPipeline.ShippedMappings, "samples", "jobber-job-closed.json")));
        var rows = await worker.SettleConnectorsAsync(SettleLimit, "quickbooks");

        // QuickBooks computed 5 % on 209.94 (10.50) instead of keeping the job's 16.06: 220.44 against 226.00.
        var invoice = Assert.Single(rows, r => r.OperationKey == "invoice");
        Assert.Equal(OutboxStates.Dead, invoice.State);
        Assert.Contains("totals 220.44 USD", invoice.LastError, StringComparison.Ordinal);
        Assert.Contains("job totals 226.00 USD", invoice.LastError, StringComparison.Ordinal);
        Assert.StartsWith("Business: ", await worker.DeadReasonAsync("invoice"), StringComparison.Ordinal);
        Assert.Equal(OutboxStates.Blocked, Assert.Single(rows, r => r.OperationKey == "send").State);
        Assert.Empty(_quickBooks.Calls("POST", "/send"));
    }

    [Fact]
    public async Task JobClosed_QuickBooksCompanyIsCanadian_TaxModeUsAutomated_InvoiceDeadLetteredAsConfiguration_NothingCreated()
    {
        // The admin left Tax:Mode at its default (US Automated Sales Tax) for a Canadian company in CAD: the job (USD,
        // Company:Currency's default) must not be invoiced with US pseudo codes; the dead letter names both setups.
        ArrangeQuickBooks(new FakeInvoices { Company = FakeCompany.Canada });
        ArrangeBambooHr();
        await using var worker = await AccountingPipeline.StartAsync(_quickBooks.Url!, _bambooHr.Url!);

        await worker.AppendAsync(AccountingPipeline.Source, File.ReadAllText(Path.Combine(DeliveryPipeline.ShippedMappings, "samples", "jobber-job-closed.json")));
        var rows = await worker.SettleConnectorsAsync(SettleLimit, "quickbooks");

        Assert.Equal(OutboxStates.Delivered, Assert.Single(rows, r => r.OperationKey == "customer").State);
        Assert.Equal(OutboxStates.Dead, Assert.Single(rows, r => r.OperationKey == "invoice").State);
        var reason = await worker.DeadReasonAsync("invoice");
        Assert.StartsWith("Configuration: Connectors:QuickBooks:Tax:Mode is UsAutomated, but QuickBooks company 'Maple Furnace Co.'", reason, StringComparison.Ordinal);
        Assert.Contains("is set up for Global (CompanyInfo.Country CA", reason, StringComparison.Ordinal);
        Assert.Contains("The job's currency is USD, but QuickBooks company 'Maple Furnace Co.' (realm 9341453140251234) keeps its books in CAD", reason, StringComparison.Ordinal);
        Assert.Contains("after 1 attempt(s)", reason, StringComparison.Ordinal);
        Assert.Equal(OutboxStates.Blocked, Assert.Single(rows, r => r.OperationKey == "send").State);
        Assert.Empty(_quickBooks.Calls("POST", Company + "/invoice"));
    }

    [Fact]
    public async Task JobClosed_CanadianCompany_PerLineCodesFromTheTaxCodeTable_TaxLinesCarryTheJobsTax_Sent()
    {
        // Jobber's lines say only "taxable": the admin's table gives parts (Igniter) GST, everything else HST (TAX → 13).
        ArrangeQuickBooks(new FakeInvoices { Company = FakeCompany.Canada, KeepsTaxOverride = true });
        ArrangeBambooHr();
        await using var worker = await AccountingPipeline.StartAsync(_quickBooks.Url!, _bambooHr.Url!, new Dictionary<string, string?>
        {
            ["Company:Currency"] = "CAD",
            ["Connectors:QuickBooks:Tax:Mode"] = "Global",
            ["Connectors:QuickBooks:Tax:Codes:TAX"] = "13",
            ["Connectors:QuickBooks:Tax:Codes:NON"] = "9",
            ["Connectors:QuickBooks:Tax:Codes:GST"] = "5",
            ["Connectors:QuickBooks:Tax:ItemCodes:Igniter"] = "GST",
        });

        await worker.AppendAsync(AccountingPipeline.Source, File.ReadAllText(Path.Combine(DeliveryPipeline.ShippedMappings, "samples", "jobber-job-closed.json")));
        var rows = await worker.SettleConnectorsAsync(SettleLimit, "quickbooks");

        Assert.True(rows.All(r => r.State == OutboxStates.Delivered), string.Join("\n", rows));
        var invoice = _quickBooks.Calls("POST", Company + "/invoice")[^1].JsonBody();
        JsonAssert.Equal("""
            [{"DetailType": "SalesItemLineDetail", "Amount": 149.97, "Description": "Annual furnace service",
              "SalesItemLineDetail": {"ItemRef": {"name": "Furnace service", "value": "21"}, "Qty": 1, "UnitPrice": 149.97, "TaxCodeRef": {"value": "13"}}},
             {"DetailType": "SalesItemLineDetail", "Amount": 59.97, "Description": "Igniter",
              "SalesItemLineDetail": {"ItemRef": {"name": "Igniter", "value": "34"}, "Qty": 3, "UnitPrice": 19.99, "TaxCodeRef": {"value": "5"}}}]
            """, invoice["Line"]!);
        // The job's 16.06 shared over HST (13 % of 149.97 = 19.50) and GST (5 % of 59.97 = 3.00) in that proportion.
        JsonAssert.Equal("""
            {"TotalTax": 16.06, "TaxLine": [
              {"Amount": 13.92, "DetailType": "TaxLineDetail",
               "TaxLineDetail": {"TaxRateRef": {"value": "17"}, "PercentBased": true, "TaxPercent": 13, "NetAmountTaxable": 149.97}},
              {"Amount": 2.14, "DetailType": "TaxLineDetail",
               "TaxLineDetail": {"TaxRateRef": {"value": "7"}, "PercentBased": true, "TaxPercent": 5, "NetAmountTaxable": 59.97}}]}
            """, invoice["TxnTaxDetail"]!);
        Assert.Equal("TaxExcluded", invoice["GlobalTaxCalculation"]!.GetValue<string>());
        Assert.Single(_quickBooks.Calls("POST", "/send"));
    }

    private void ArrangeQuickBooks(FakeInvoices? invoices = null)
    {
        _quickBooks.Given(Request.Create().WithPath("/oauth2/v1/tokens/bearer").UsingPost()).RespondWith(FromFixture("quickbooks/oauth-token-response.json"));
        _quickBooks.Given(Request.Create().WithPath(Company + "/query").UsingGet()
                .WithParam("query", new ExactMatcher("select * from Customer where DisplayName = 'Dana Whitfield'")))
            .RespondWith(JsonReply(200, """{"QueryResponse":{},"time":"2025-06-03T09:20:01.118-07:00"}"""));
        _quickBooks.Given(Request.Create().WithPath(Company + "/customer").UsingPost()).RespondWith(FromFixture("quickbooks/customer-create.json"));
        // QuickBooks adds the invoice up (lines + the job's tax); its first response is cut off after it created the
        // invoice, and the retry (same requestid) gets the same invoice back.
        (invoices ?? new FakeInvoices()).Register(_quickBooks, Company);
        _quickBooks.Given(Request.Create().WithPath(Company + "/invoice").UsingPost()).InScenario("invoice").WillSetStateTo("created")
            .RespondWith(Response.Create().WithFault(FaultType.MALFORMED_RESPONSE_CHUNK));
        _quickBooks.Given(Request.Create().WithPath(Company + "/query").UsingGet()
                .WithParam("query", new ExactMatcher("select * from Item where Name = 'Igniter'")))
            .RespondWith(JsonReply(200, """{"QueryResponse":{"Item":[{"Id":"34","Name":"Igniter","SyncToken":"0"}]}}"""));
    }

    private void ArrangeBambooHr()
    {
        _bambooHr.Given(Request.Create().WithPath("/api/v1/employees/directory").UsingGet()).RespondWith(JsonReply(200, """
            {"fields":[{"id":"displayName","type":"text","name":"Display name"},{"id":"workEmail","type":"email","name":"Work Email"}],
             "employees":[{"id":"501","displayName":"Sam Ortega","workEmail":"sam.ortega@example.com"},
                          {"id":"502","displayName":"Lee Park","workEmail":"lee.park@example.com"}]}
            """));
        // One item per record, naming it: both technicians' hours may arrive in one bulk call (batch delivery).
        FakeBambooHRHours.Register(_bambooHr);
    }

    public ValueTask DisposeAsync()
    {
        _quickBooks.Stop();
        _bambooHr.Stop();
        return ValueTask.CompletedTask;
    }
}
