using FieldOps.Integration.Core.Connectors;
using Microsoft.Extensions.Time.Testing;
using WireMock.Server;
using FieldOps.Integration.Testing.Vendors;

namespace FieldOps.Connectors.Jobber.Tests;

public sealed class JobberConnectorTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();

    private static object ClientPayload => new
    {
        fields = new { firstName = "Dana", lastName = "Reyes", emails = new[] { new { description = "MAIN", primary = true, address = "dana@example.com" } } },
        @params = new { matchEmail = "Dana@Example.com" },
    };

    [Fact]
    public async Task UpsertClient_WhenAClientHasTheEmail_ReturnsItWithoutCreating()
    {
        _server.Answer("FindClients", """{"data":{"clients":{"nodes":[{"id":"c-other","emails":[{"address":"dana.r@example.com"}]},{"id":"c-42","emails":[{"address":"dana@example.com"}]}]}}}""");
        _server.Answer("ClientCreate", """{"data":{"clientCreate":{"client":{"id":"c-new"},"userErrors":[]}}}""");

        var outcome = await JobberHarness.Create(_server).DeliverAsync(JobberHarness.Operation("upsert", "Client", ClientPayload), CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        Assert.Equal("c-42", outcome.TargetId);
        Assert.Equal(0, _server.Posted("ClientCreate"));
    }

    [Fact]
    public async Task UpsertClient_WhenNoClientMatches_CreatesOne()
    {
        _server.Answer("FindClients", """{"data":{"clients":{"nodes":[{"id":"c-other","emails":[{"address":"dana.r@example.com"}]}]}}}""");
        _server.Answer("ClientCreate", """{"data":{"clientCreate":{"client":{"id":"c-new"},"userErrors":[]}}}""");

        var outcome = await JobberHarness.Create(_server).DeliverAsync(JobberHarness.Operation("upsert", "Client", ClientPayload), CancellationToken.None);

        Assert.Equal("c-new", outcome.TargetId);
        Assert.Equal(1, _server.Posted("ClientCreate"));
        var sent = _server.LogEntries.Single(e => e.RequestMessage.Body!.Contains("ClientCreate(", StringComparison.Ordinal)).RequestMessage;
        Assert.Contains("\"address\":\"dana@example.com\"", sent.Body, StringComparison.Ordinal);
        Assert.Equal("2025-04-16", sent.Headers!["X-JOBBER-GRAPHQL-VERSION"].Single());
        Assert.Equal("Bearer " + JobberHarness.Token, sent.Headers["Authorization"].Single());
    }

    [Fact]
    public async Task UpsertClient_WithoutMatchEmail_IsPermanent()
    {
        var outcome = await JobberHarness.Create(_server).DeliverAsync(JobberHarness.Operation("upsert", "Client", new { fields = new { firstName = "Dana" } }), CancellationToken.None);
        Assert.Equal(OutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("matchEmail", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_server.LogEntries);
    }

    [Fact]
    public async Task Deliver_UserErrorsInA200_ArePermanentWithMessageAndPath()
    {
        _server.Answer("RequestCreate", """{"data":{"requestCreate":{"request":null,"userErrors":[{"message":"Title can't be blank","path":["input","title"]}]}}}""");

        var outcome = await JobberHarness.Create(_server).DeliverAsync(
            JobberHarness.Operation("create", "Request", new { fields = new { clientId = "c-42", title = "" } }), CancellationToken.None);

        Assert.Equal(OutcomeKind.Permanent, outcome.Kind);
        Assert.Equal(200, outcome.StatusCode);
        Assert.Contains("Title can't be blank", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(["input.title"], outcome.Fields);
    }

    [Fact]
    public async Task Deliver_On429_IsThrottledWithRetryAfter()
    {
        _server.Given(JobberGraphQLStub.Named("RequestCreate")).RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(429).WithHeader("Retry-After", "30"));
        var outcome = await JobberHarness.Create(_server).DeliverAsync(
            JobberHarness.Operation("create", "Request", new { fields = new { clientId = "c-42", title = "t" } }), CancellationToken.None);
        Assert.Equal(OutcomeKind.Throttled, outcome.Kind);
        Assert.Equal(TimeSpan.FromSeconds(30), outcome.RetryAfter);
    }

    [Fact]
    public async Task Deliver_WhenTheCostBucketRunsLow_HoldsTheNextCallUntilItRefills()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-04T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        _server.Answer("RequestCreate",
            """{"data":{"requestCreate":{"request":{"id":"r-1"},"userErrors":[]}},"extensions":{"cost":{"requestedQueryCost":1500,"actualQueryCost":1500,"throttleStatus":{"maximumAvailable":10000,"currentlyAvailable":500,"restoreRate":500}}}}""");
        var connector = JobberHarness.Create(_server, time);
        var op = JobberHarness.Operation("create", "Request", new { fields = new { clientId = "c-42", title = "t" } });

        Assert.Equal(OutcomeKind.Delivered, (await connector.DeliverAsync(op, CancellationToken.None)).Kind);
        var held = await connector.DeliverAsync(op with { Id = "op-2" }, CancellationToken.None);
        Assert.Equal(OutcomeKind.Throttled, held.Kind);
        Assert.Equal(TimeSpan.FromSeconds(2), held.RetryAfter); // (1500 - 500) / 500
        Assert.Equal(1, _server.Posted("RequestCreate"));

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(OutcomeKind.Delivered, (await connector.DeliverAsync(op with { Id = "op-2" }, CancellationToken.None)).Kind);
        Assert.Equal(2, _server.Posted("RequestCreate"));
    }

    [Fact]
    public async Task CreateRequest_WhenTheFirstAnswerIsLost_TheRetryFindsItAndDoesNotSendAgain()
    {
        // Jobber applies the mutation but the connection drops before its answer arrives.
        _server.Given(JobberGraphQLStub.Named("RequestCreate"))
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithFault(WireMock.ResponseBuilders.FaultType.EMPTY_RESPONSE));
        _server.Answer("ClientRequests", """{"data":{"client":{"requests":{"nodes":[{"id":"r-1","title":"Older job"},{"id":"r-9","title":"Leaking valve (HubSpot ticket 512)"}]}}}}""");
        var connector = JobberHarness.Create(_server);
        var op = JobberHarness.Operation("create", "Request", new { fields = new { clientId = "c-42", title = "Leaking valve (HubSpot ticket 512)" } });

        var first = await connector.DeliverAsync(op, CancellationToken.None);
        Assert.Equal(OutcomeKind.Transient, first.Kind);
        var second = await connector.DeliverAsync(op with { Attempt = 2 }, CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, second.Kind);
        Assert.Equal("r-9", second.TargetId);
        Assert.Equal(1, _server.Posted("RequestCreate"));
        Assert.Equal(1, _server.Posted("ClientRequests"));
    }

    [Fact]
    public async Task CreateRequest_RetryWhenTheFirstAttemptDidNotApply_SendsAgain()
    {
        _server.Answer("ClientRequests", """{"data":{"client":{"requests":{"nodes":[{"id":"r-1","title":"Older job"}]}}}}""");
        _server.Answer("RequestCreate", """{"data":{"requestCreate":{"request":{"id":"r-10"},"userErrors":[]}}}""");
        var op = JobberHarness.Operation("create", "Request", new { fields = new { clientId = "c-42", title = "New job" } }, attempt: 2);

        var outcome = await JobberHarness.Create(_server).DeliverAsync(op, CancellationToken.None);

        Assert.Equal("r-10", outcome.TargetId);
        Assert.Equal(1, _server.Posted("ClientRequests"));
        Assert.Equal(1, _server.Posted("RequestCreate"));
    }

    [Fact]
    public async Task Note_CarriesTheMarker_AndTheEffectCheckFindsIt()
    {
        _server.Answer("JobCreateNote", """{"data":{"jobCreateNote":{"jobNote":{"id":"n-1"},"userErrors":[]}}}""");
        var connector = JobberHarness.Create(_server);
        var op = JobberHarness.Operation("note", "Job", new { fields = new { message = "Customer context" }, @params = new { id = "j-7" } }, id: "op-note-1");

        Assert.Equal("n-1", (await connector.DeliverAsync(op, CancellationToken.None)).TargetId);
        var sent = _server.LogEntries.Single().RequestMessage.Body!;
        Assert.Contains("[fieldops:op-note-1]", sent, StringComparison.Ordinal);

        _server.Answer("JobNotes", """{"data":{"record":{"notes":{"nodes":[{"id":"n-0","message":"other"},{"id":"n-1","message":"Customer context\n\n[fieldops:op-note-1]"}]}}}}""");
        Assert.Equal((EffectCheck.Applied, "n-1"), await connector.CheckEffectAsync(op with { MayHaveBeenApplied = true }, CancellationToken.None));
        Assert.Equal(EffectCheck.NotApplied, (await connector.CheckEffectAsync(op with { Id = "op-note-2" }, CancellationToken.None)).Result);
    }

    [Fact]
    public async Task DeleteEvent_WithoutAnEventForTheTimeOff_HasNothingToRemove()
    {
        var outcome = await JobberHarness.Create(_server).DeliverAsync(
            JobberHarness.Operation("delete", "Event", new { @params = new { sourceId = "bamboohr:1301" } }), CancellationToken.None);
        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        Assert.Empty(_server.LogEntries);
    }

    public void Dispose() => _server.Stop();
}
