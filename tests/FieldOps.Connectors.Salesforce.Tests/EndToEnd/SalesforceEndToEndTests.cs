using System.Text.Json;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Testing;
using FieldOps.Integration.Testing.EndToEnd;
using FieldOps.Integration.Testing.Faults;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Connectors.Salesforce.Tests.EndToEnd;

/// <summary>
/// The shipped Salesforce flows (customer-salesforce, job-completed-salesforce) routed and dispatched by the real
/// pipeline to WireMock servers answering like the fixtures: the happy path, throttling, an expired session, and a
/// validation failure that dead-letters and holds the comment behind it.
/// </summary>
public sealed class SalesforceEndToEndTests : IAsyncLifetime
{
    private const string JobId = "Z2lkOi8vSm9iYmVyL0pvYi80MjQy";
    private const string JobberClientId = "Z2lkOi8vSm9iYmVyL0NsaWVudC8xMjM0NQ==";
    private const string AccountId = "001Dn00000AbCdEIAV";
    private const string CaseId = "500Dn00000XyZ12IAB";
    private readonly WireMockServer _login = WireMockServer.Start();
    private readonly WireMockServer _instance = WireMockServer.Start();
    private DeliveryPipeline? _pipeline;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_pipeline is not null)
            await _pipeline.DisposeAsync();
        _login.Stop();
        _instance.Stop();
    }

    [Fact]
    public async Task CustomerThenJobCompleted_DeliverAccountCaseAndCommentInOrder()
    {
        _pipeline = await StartAsync();
        ArrangeToken("00DToken");
        Answer("PATCH", "sobjects/Account/FS_Customer_Id__c/*", "upsert-account-created.json");
        Answer("PATCH", "sobjects/Case/FS_Job_Id__c/*", "upsert-case-by-job-id-created.json");
        Answer("POST", "sobjects/CaseComment", "casecomment-create.json");

        var customer = await _pipeline.AppendAsync("fsm", DeliveryPipeline.Sample("canonical-customer-upserted.json"));
        Assert.Equal(OutboxStates.Delivered, Assert.Single(await _pipeline.SettleAsync(customer, "salesforce", 1)).State);
        Assert.Equal(AccountId, await _pipeline.XrefAsync("salesforce", "Account", "C-42"));

        await _pipeline.SaveXrefAsync("salesforce", "Account", JobberClientId, AccountId);
        var job = await _pipeline.AppendAsync("jobber-main", DeliveryPipeline.Sample("jobber-job-closed.json"));
        var rows = await _pipeline.SettleAsync(job, "salesforce", 3);

        Assert.All(rows, r => Assert.Equal(OutboxStates.Delivered, r.State));
        Assert.Equal(["account", "case", "technician-notes"], rows.Select(r => r.OperationKey));
        using var caseBody = JsonDocument.Parse(Body("/sobjects/Case/"));
        Assert.Equal(AccountId, caseBody.RootElement.GetProperty("AccountId").GetString());
        Assert.Equal("Closed", caseBody.RootElement.GetProperty("Status").GetString());
        using var comment = JsonDocument.Parse(Body("/sobjects/CaseComment"));
        Assert.Equal(CaseId, comment.RootElement.GetProperty("ParentId").GetString());
        var text = comment.RootElement.GetProperty("CommentBody").GetString();
        Assert.Contains("Replaced the hot-surface igniter", text, StringComparison.Ordinal);
        Assert.EndsWith($"[fieldops:{rows.Single(r => r.OperationKey == "technician-notes").Id}]", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobCompleted_ClientNeverSent_AccountUpsertedFromTheJobFirst_ThenCaseOnItAndComment()
    {
        _pipeline = await StartAsync();
        ArrangeToken("00DToken");
        Answer("PATCH", "sobjects/Account/FS_Customer_Id__c/*", "upsert-account-created.json");
        Answer("PATCH", "sobjects/Case/FS_Job_Id__c/*", "upsert-case-by-job-id-created.json");
        Answer("POST", "sobjects/CaseComment", "casecomment-create.json");
        // A customer from before the install (never a CustomerUpserted), named with quotes and non-ASCII letters.
        var sample = DeliveryPipeline.Sample("jobber-job-closed.json").Replace("\"name\": \"Dana Whitfield\"",
            "\"name\": \"Søren \\\"Ski\\\" O'Brien – Ærø Heating\"", StringComparison.Ordinal);

        var job = await _pipeline.AppendAsync("jobber-main", sample);
        var rows = await _pipeline.SettleAsync(job, "salesforce", 3);

        Assert.All(rows, r => Assert.Equal(OutboxStates.Delivered, r.State));
        var account = _instance.LogEntries.Single(e => e.RequestMessage.Path.Contains("/sobjects/Account/", StringComparison.Ordinal)).RequestMessage;
        Assert.Contains("/sobjects/Account/FS_Customer_Id__c/Z2lkOi8vSm9iYmVyL0NsaWVudC8xMjM0NQ", account.Path, StringComparison.Ordinal);
        using var accountBody = JsonDocument.Parse(account.Body!);
        Assert.Equal("Søren \"Ski\" O'Brien – Ærø Heating", accountBody.RootElement.GetProperty("Name").GetString());
        Assert.Equal(AccountId, await _pipeline.XrefAsync("salesforce", "Account", JobberClientId));
        using var caseBody = JsonDocument.Parse(Body("/sobjects/Case/"));
        Assert.Equal(AccountId, caseBody.RootElement.GetProperty("AccountId").GetString());
        Assert.True(_instance.LogEntries.ToList().FindIndex(e => e.RequestMessage.Path.Contains("/sobjects/Account/", StringComparison.Ordinal))
            < _instance.LogEntries.ToList().FindIndex(e => e.RequestMessage.Path.Contains("/sobjects/Case/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AccountUpsert_WhenTheOrgIsOverItsLimit_IsHeldThenDelivered()
    {
        _pipeline = await StartAsync();
        ArrangeToken("00DToken");
        var path = SalesforceHarness.Path("sobjects/Account/FS_Customer_Id__c/*");
        _instance.Given(Request.Create().WithPath(path).UsingPatch()).InScenario("limit").WillSetStateTo("recovered")
            .RespondWith(VendorAnswers.FromFixture("error-request-limit-exceeded-403.json"));
        _instance.Given(Request.Create().WithPath(path).UsingPatch()).InScenario("limit").WhenStateIs("recovered")
            .RespondWith(VendorAnswers.FromFixture("upsert-account-created.json"));

        var customer = await _pipeline.AppendAsync("fsm", DeliveryPipeline.Sample("canonical-customer-upserted.json"));
        var row = Assert.Single(await _pipeline.SettleAsync(customer, "salesforce", 1));

        Assert.Equal(OutboxStates.Delivered, row.State);
        Assert.Equal([OutcomeKind.Throttled, OutcomeKind.Delivered], (await _pipeline.AttemptsAsync(row.Id)).Select(a => a.Outcome));
    }

    [Fact]
    public async Task AccountUpsert_OnInvalidSessionId_MintsOneNewTokenAndDelivers()
    {
        _pipeline = await StartAsync();
        _login.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost()).InScenario("mint").WillSetStateTo("minted").RespondWith(Token("00DExpired"));
        _login.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost()).InScenario("mint").WhenStateIs("minted").RespondWith(Token("00DFresh"));
        var path = SalesforceHarness.Path("sobjects/Account/FS_Customer_Id__c/*");
        _instance.Given(Request.Create().WithPath(path).UsingPatch().WithHeader("Authorization", "Bearer 00DExpired"))
            .RespondWith(VendorAnswers.FromFixture("error-session-expired-401.json"));
        _instance.Given(Request.Create().WithPath(path).UsingPatch().WithHeader("Authorization", "Bearer 00DFresh"))
            .RespondWith(VendorAnswers.FromFixture("upsert-account-created.json"));

        var customer = await _pipeline.AppendAsync("fsm", DeliveryPipeline.Sample("canonical-customer-upserted.json"));
        var row = Assert.Single(await _pipeline.SettleAsync(customer, "salesforce", 1));

        Assert.Equal(OutboxStates.Delivered, row.State);
        Assert.Equal([OutcomeKind.AuthExpired, OutcomeKind.Delivered], (await _pipeline.AttemptsAsync(row.Id)).Select(a => a.Outcome));
        Assert.Equal(2, _login.LogEntries.Count);
    }

    [Fact]
    public async Task CaseUpsert_OnAValidationError_DeadLettersWithTheFieldsAndHoldsTheComment()
    {
        _pipeline = await StartAsync();
        ArrangeToken("00DToken");
        Answer("PATCH", "sobjects/Account/FS_Customer_Id__c/*", "upsert-account-updated.json");
        Answer("PATCH", "sobjects/Case/FS_Job_Id__c/*", "error-required-field-missing.json");

        var job = await _pipeline.AppendAsync("jobber-main", DeliveryPipeline.Sample("jobber-job-closed.json"));
        var rows = await _pipeline.SettleAsync(job, "salesforce", 3);

        var dead = rows.Single(r => r.OperationKey == "case");
        Assert.Equal(OutboxStates.Dead, dead.State);
        Assert.Contains("REQUIRED_FIELD_MISSING: Required fields are missing: [Name]", dead.DeadReason, StringComparison.Ordinal);
        Assert.Equal(OutboxStates.Blocked, rows.Single(r => r.OperationKey == "technician-notes").State);
        Assert.DoesNotContain(_instance.LogEntries, e => e.RequestMessage.Path.EndsWith("/CaseComment", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CaseComment_LeftInFlightByACrash_IsFoundByItsMarkerAndNotSentAgain()
    {
        ArrangeToken("00DToken");
        var directory = DeliveryPipeline.NewDirectory();
        try
        {
            // First life: routed; the Case was delivered and the comment marked in flight when the process died.
            long job;
            string commentRow;
            await using (var crashed = await StartAsync(directory, dispatcher: false))
            {
                job = await crashed.AppendAsync("jobber-main", DeliveryPipeline.Sample("jobber-job-closed.json"));
                var rows = await RoutedAsync(crashed, job, 3);
                await crashed.ExecuteAsync("UPDATE outbox SET state = 'delivered' WHERE id = @id", new { id = rows.Single(r => r.OperationKey == "account").Id });
                commentRow = rows.Single(r => r.OperationKey == "technician-notes").Id;
                await crashed.SaveXrefAsync("salesforce", "Case", JobId, CaseId);
                await crashed.ExecuteAsync("UPDATE outbox SET state = 'delivered' WHERE id = @id", new { id = rows.Single(r => r.OperationKey == "case").Id });
                await crashed.ExecuteAsync("UPDATE outbox SET state = 'in_flight', attempts = 1, first_attempt_at = next_attempt_at WHERE id = @id", new { id = commentRow });
            }
            // Salesforce has the comment: the call had reached it.
            _instance.Given(Request.Create().WithPath(SalesforceHarness.Path("query")).UsingGet()).RespondWith(Response.Create().WithStatusCode(200)
                .WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"totalSize": 1, "done": true, "records": [{"Id": "00aDn000002QwErIAK", "CommentBody": "Replaced.\n[fieldops:{{commentRow}}]"}]}"""));

            _pipeline = await StartAsync(directory);
            var settled = await _pipeline.SettleAsync(job, "salesforce", 3);

            Assert.All(settled, r => Assert.Equal(OutboxStates.Delivered, r.State));
            Assert.DoesNotContain(_instance.LogEntries, e => e.RequestMessage.Method == "POST");
            Assert.Contains($"ParentId = '{CaseId}'", _instance.LogEntries.Single().RequestMessage.Query!["q"].Single(), StringComparison.Ordinal);
        }
        finally
        {
            if (_pipeline is not null)
                await _pipeline.DisposeAsync();
            _pipeline = null!;
            DeliveryPipeline.Delete(directory);
        }
    }

    [Fact]
    public async Task CaseComment_WhoseAnswerIsLostAfterSalesforceCreatedIt_IsFoundByItsMarkerAndNotSentAgain()
    {
        var commentPath = SalesforceHarness.Path("sobjects/CaseComment");
        await using var front = await CommitThenAbortFront.StartAsync(_instance.Url!, "POST", commentPath);
        await AssertCommentCreatedOnceAsync(front, commentPath, timeout: null);
    }

    [Fact]
    public async Task CaseComment_AnsweredOnlyAfterTheClientTimeout_IsFoundByItsMarkerAndNotSentAgain()
    {
        var commentPath = SalesforceHarness.Path("sobjects/CaseComment");
        // Salesforce creates the comment at once but answers only after our 2 s client timeout.
        await using var front = await CommitThenAbortFront.StartLateAsync(_instance.Url!, "POST", commentPath, TimeSpan.FromSeconds(5));
        var attempts = await AssertCommentCreatedOnceAsync(front, commentPath, timeout: "00:00:02");
        Assert.Contains("did not answer within", attempts[0].Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The job's Account, Case and CaseComment through <paramref name="front"/>, which loses the comment's answer after
    /// Salesforce created it: one comment in Salesforce, found by its marker on the next attempt.
    /// </summary>
    private async Task<IReadOnlyList<AttemptRecord>> AssertCommentCreatedOnceAsync(CommitThenAbortFront front, string commentPath, string? timeout)
    {
        ArrangeToken("00DToken", front.Url);
        Answer("PATCH", "sobjects/Account/FS_Customer_Id__c/*", "upsert-account-created.json"); // the job's customer first (issue 14)
        Answer("PATCH", "sobjects/Case/FS_Job_Id__c/*", "upsert-case-by-job-id-created.json");
        Answer("POST", "sobjects/CaseComment", "casecomment-create.json");
        // Salesforce's query, faithfully: the Case's comments are the ones created so far.
        _instance.Given(Request.Create().WithPath(SalesforceHarness.Path("query")).UsingGet()).RespondWith(Response.Create().WithCallback(_ =>
        {
            var bodies = _instance.LogEntries.Where(e => e.RequestMessage.Method == "POST" && e.RequestMessage.Path == commentPath)
                .Select((e, i) => JsonSerializer.Serialize(new { Id = $"00aDn000002QwE{i}IAK", CommentBody = JsonDocument.Parse(e.RequestMessage.Body!).RootElement.GetProperty("CommentBody").GetString() }))
                .ToList();
            return new WireMock.ResponseMessage
            {
                StatusCode = 200,
                Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json") },
                BodyData = new WireMock.Util.BodyData
                {
                    BodyAsString = $$"""{"totalSize": {{bodies.Count}}, "done": true, "records": [{{string.Join(",", bodies)}}]}""",
                    DetectedBodyType = WireMock.Types.BodyType.String,
                },
            };
        }));
        _pipeline = await StartAsync(timeout: timeout);
        await _pipeline.SaveXrefAsync("salesforce", "Account", JobberClientId, AccountId);

        var job = await _pipeline.AppendAsync("jobber-main", DeliveryPipeline.Sample("jobber-job-closed.json"));
        var rows = await _pipeline.SettleAsync(job, "salesforce", 3);

        Assert.All(rows, r => Assert.Equal(OutboxStates.Delivered, r.State));
        Assert.Equal(1, front.Aborted);
        Assert.Single(_instance.LogEntries, e => e.RequestMessage.Method == "POST" && e.RequestMessage.Path == commentPath);
        var comment = rows.Single(r => r.OperationKey == "technician-notes");
        var attempts = await _pipeline.AttemptsAsync(comment.Id);
        Assert.Equal([OutcomeKind.OutcomeUnknown, OutcomeKind.Delivered], attempts.Select(a => a.Outcome));
        Assert.StartsWith("effect check: already applied", attempts[1].Message, StringComparison.Ordinal);
        return attempts;
    }

    private Task<DeliveryPipeline> StartAsync(string? directory = null, bool dispatcher = true, string? timeout = null) =>
        DeliveryPipeline.StartAsync(new Dictionary<string, string?>
        {
            ["Connectors:Salesforce:Timeout"] = timeout ?? "00:00:30",
            ["Connectors:Salesforce:LoginUrl"] = _login.Url,
            ["Connectors:Salesforce:ClientId"] = "3MVG9ExampleConsumerKey",
            ["Connectors:Salesforce:ClientSecret"] = "ExampleConsumerSecret",
            ["Connectors:Salesforce:ApiVersion"] = "v62.0",
            ["Connectors:Salesforce:RequestLimitWait"] = "00:00:00.300",
            ["Dispatcher:Enabled"] = dispatcher ? "true" : "false",
        }, (services, configuration) => services.AddSalesforceConnector(configuration), directory);

    private static async Task<List<DeliveryPipeline.Row>> RoutedAsync(DeliveryPipeline pipeline, long inboxEventId, int expected)
    {
        for (var i = 0; i < 200; i++)
        {
            var rows = await pipeline.RowsAsync(inboxEventId, "salesforce");
            if (rows.Count == expected)
                return rows;
            await Task.Delay(50);
        }
        throw new TimeoutException($"event {inboxEventId} was not routed");
    }

    private void ArrangeToken(string accessToken, string? instanceUrl = null) =>
        _login.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost()).RespondWith(Token(accessToken, instanceUrl));

    private IResponseBuilder Token(string accessToken, string? instanceUrl = null)
    {
        var body = Fixture.Load("oauth-client-credentials-token.json").ResponseBody!
            .Replace("https://acme-fieldservice.my.salesforce.com", (instanceUrl ?? _instance.Url!).TrimEnd('/'), StringComparison.Ordinal)
            .Replace(SalesforceHarness.Token, accessToken, StringComparison.Ordinal);
        return Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body);
    }

    private void Answer(string method, string resource, string fixture) =>
        _instance.Given(Request.Create().WithPath(SalesforceHarness.Path(resource)).UsingMethod(method)).RespondWith(VendorAnswers.FromFixture(fixture));

    private string Body(string pathPart) =>
        _instance.LogEntries.Last(e => e.RequestMessage.Path.Contains(pathPart, StringComparison.Ordinal)).RequestMessage.Body!;
}
