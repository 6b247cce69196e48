using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Testing.EndToEnd;
using FieldOps.Integration.Testing.Faults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WireMock;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;
using FieldOps.Integration.Testing.Vendors;

namespace FieldOps.Connectors.Jobber.Tests.EndToEnd;

/// <summary>
/// Jobber's non-idempotent operations (a note, a Request, an Event) through the real dispatcher (outbox row →
/// dispatcher → connector → a real Kestrel front → WireMock answering like Jobber), with the answer of the first
/// mutation lost after Jobber applied it: one effect at Jobber when the dispatcher is done, and one attempt record
/// per call with the right outcome. WireMock plays Jobber faithfully: its lists show what was really created.
/// </summary>
public sealed class LostAnswerEndToEndTests : IAsyncLifetime
{
    private const string Graphql = "/api/graphql";
    private readonly WireMockServer _jobber = WireMockServer.Start();
    private CommitThenAbortFront _front = null!;
    private DeliveryPipeline _pipeline = null!;

    public async Task InitializeAsync()
    {
        _front = await CommitThenAbortFront.StartAsync(_jobber.Url!, "POST", Graphql);
        _pipeline = await StartPipelineAsync(timeout: null);
    }

    private Task<DeliveryPipeline> StartPipelineAsync(string? timeout) =>
        DeliveryPipeline.StartAsync(new Dictionary<string, string?>
        {
            ["Connectors:Jobber:Source"] = "jobber",
            ["Dispatcher:MaxAttempts"] = "4",
        }, (services, _) =>
        {
            services.AddJobberConnectorWithFixedToken(_front.Url, timeout);
        });

    /// <summary>Replaces the front and the pipeline: Jobber applies the first mutation at once and answers after the client's 2 s timeout.</summary>
    private async Task AnswerLateAsync()
    {
        await _pipeline.DisposeAsync();
        await _front.DisposeAsync();
        _front = await CommitThenAbortFront.StartLateAsync(_jobber.Url!, "POST", Graphql, TimeSpan.FromSeconds(5));
        _pipeline = await StartPipelineAsync(timeout: "00:00:02");
    }

    [Fact]
    public async Task JobNote_WhoseAnswerIsLostAfterJobberSavedIt_IsFoundByItsMarkerAndNotSentAgain()
    {
        AnswerMutation("JobCreateNote", "jobCreateNote", "jobNote", "n-1");
        AnswerNotes("JobNotes");

        var id = await _pipeline.EnqueueAsync("jobber", "note", "Job", new { fields = new { message = "Customer context" }, @params = new { id = "j-7" } }, "jobber:job:j-7");
        var status = await _pipeline.SettleRowAsync(id);

        Assert.Equal(1, _front.Aborted);
        Assert.True(OutboxStates.Delivered == status.State, Describe(status));
        Assert.Equal(1, _jobber.Posted("JobCreateNote"));
        Assert.Equal("n-1", status.TargetId);
        var attempts = await _pipeline.AttemptsAsync(id);
        Assert.Equal([OutcomeKind.OutcomeUnknown, OutcomeKind.Delivered], attempts.Select(a => a.Outcome));
        Assert.StartsWith("effect check: already applied", attempts[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobNote_AnsweredOnlyAfterTheClientTimeout_IsFoundByItsMarkerAndNotSentAgain()
    {
        await AnswerLateAsync();
        AnswerMutation("JobCreateNote", "jobCreateNote", "jobNote", "n-1");
        AnswerNotes("JobNotes");

        var id = await _pipeline.EnqueueAsync("jobber", "note", "Job", new { fields = new { message = "Customer context" }, @params = new { id = "j-7" } }, "jobber:job:j-7");
        var status = await _pipeline.SettleRowAsync(id);

        Assert.Equal(1, _front.Aborted);
        Assert.True(OutboxStates.Delivered == status.State, Describe(status));
        Assert.Equal(1, _jobber.Posted("JobCreateNote"));
        var attempts = await _pipeline.AttemptsAsync(id);
        Assert.Equal([OutcomeKind.OutcomeUnknown, OutcomeKind.Delivered], attempts.Select(a => a.Outcome));
        Assert.Contains("did not answer within", attempts[0].Message, StringComparison.Ordinal);
        Assert.StartsWith("effect check: already applied", attempts[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateRequest_AnsweredOnlyAfterTheClientTimeout_IsFoundByItsTitleAndNotSentAgain()
    {
        await AnswerLateAsync();
        AnswerMutation("RequestCreate", "requestCreate", "request", "r-9");
        AnswerClientRequests();

        var id = await _pipeline.EnqueueAsync("jobber", "create", "Request",
            new { fields = new { clientId = "c-42", title = "Leaking valve (HubSpot ticket 512)" } }, "jobber:client:c-42");
        var status = await _pipeline.SettleRowAsync(id);

        Assert.Equal(1, _front.Aborted);
        Assert.True(OutboxStates.Delivered == status.State, Describe(status));
        Assert.Equal(1, _jobber.Posted("RequestCreate"));
        Assert.Equal("r-9", status.TargetId);
        Assert.Equal([OutcomeKind.OutcomeUnknown, OutcomeKind.Delivered], (await _pipeline.AttemptsAsync(id)).Select(a => a.Outcome));
    }

    [Fact]
    public async Task JobNote_WhenTheEffectCheckItselfFailsOnce_IsCheckedAgainAndStillNotSentTwice()
    {
        AnswerMutation("JobCreateNote", "jobCreateNote", "jobNote", "n-1");
        _jobber.Given(JobberGraphQLStub.Named("JobNotes")).InScenario("check").WillSetStateTo("recovered").AtPriority(0)
            .RespondWith(Response.Create().WithStatusCode(502));
        AnswerNotes("JobNotes");

        var id = await _pipeline.EnqueueAsync("jobber", "note", "Job", new { fields = new { message = "Customer context" }, @params = new { id = "j-7" } }, "jobber:job:j-7");
        var status = await _pipeline.SettleRowAsync(id);

        Assert.True(OutboxStates.Delivered == status.State, Describe(status));
        Assert.Equal(1, _jobber.Posted("JobCreateNote"));
        var attempts = await _pipeline.AttemptsAsync(id);
        Assert.Equal([OutcomeKind.OutcomeUnknown, OutcomeKind.OutcomeUnknown, OutcomeKind.Delivered], attempts.Select(a => a.Outcome));
        Assert.StartsWith("effect check failed", attempts[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateRequest_WhoseAnswerIsLostAfterJobberCreatedIt_IsFoundByItsTitleAndNotSentAgain()
    {
        AnswerMutation("RequestCreate", "requestCreate", "request", "r-9");
        AnswerClientRequests();

        var id = await _pipeline.EnqueueAsync("jobber", "create", "Request",
            new { fields = new { clientId = "c-42", title = "Leaking valve (HubSpot ticket 512)" } }, "jobber:client:c-42");
        var status = await _pipeline.SettleRowAsync(id);

        Assert.Equal(1, _front.Aborted);
        Assert.True(OutboxStates.Delivered == status.State, Describe(status));
        Assert.Equal(1, _jobber.Posted("RequestCreate"));
        Assert.Equal("r-9", status.TargetId);
        Assert.Equal([OutcomeKind.OutcomeUnknown, OutcomeKind.Delivered], (await _pipeline.AttemptsAsync(id)).Select(a => a.Outcome));
    }

    [Fact]
    public async Task CreateEvent_WhoseAnswerIsLost_IsDeadLetteredAsOutcomeUnknownWithoutASecondCreate()
    {
        AnswerMutation("EventCreate", "eventCreate", "event", "e-3");

        var id = await _pipeline.EnqueueAsync("jobber", "create", "Event",
            new { fields = new { title = "Time off", startAt = "2026-12-07T00:00:00Z", endAt = "2026-12-08T00:00:00Z" } }, "jobber:event:1301");
        var status = await _pipeline.SettleRowAsync(id);

        Assert.Equal(1, _front.Aborted);
        Assert.True(OutboxStates.Dead == status.State, Describe(status));
        Assert.StartsWith("OutcomeUnknown", status.DeadReason, StringComparison.Ordinal);
        Assert.Equal(1, _jobber.Posted("EventCreate"));
        Assert.All(await _pipeline.AttemptsAsync(id), a => Assert.Equal(OutcomeKind.OutcomeUnknown, a.Outcome));
    }

    private static string Describe(OutboxRowStatus status) => $"{status.State} {status.LastOutcome} {status.LastError} {status.DeadReason}";

    /// <summary>The mutation applies and answers with <paramref name="createdId"/>.</summary>
    private void AnswerMutation(string operationName, string field, string node, string createdId) =>
        _jobber.Answer(operationName, new JsonObject
        {
            ["data"] = new JsonObject { [field] = new JsonObject { [node] = new JsonObject { ["id"] = createdId }, ["userErrors"] = new JsonArray() } },
        }.ToJsonString());

    /// <summary>The record's notes: every note a JobCreateNote really posted so far (Jobber's list after a lost answer).</summary>
    private void AnswerNotes(string queryName) =>
        _jobber.Given(JobberGraphQLStub.Named(queryName)).AtPriority(5).RespondWith(Response.Create().WithCallback(_ =>
        {
            var notes = new JsonArray(Posted("CreateNote").Select(v => (JsonNode)new JsonObject
            {
                ["id"] = "n-1",
                ["message"] = v["input"]!["message"]!.GetValue<string>(),
            }).ToArray());
            return Json(new JsonObject { ["data"] = new JsonObject { ["record"] = new JsonObject { ["notes"] = new JsonObject { ["nodes"] = notes } } } });
        }));

    /// <summary>The client's requests: every request a RequestCreate really posted so far.</summary>
    private void AnswerClientRequests() =>
        _jobber.Given(JobberGraphQLStub.Named("ClientRequests")).AtPriority(5).RespondWith(Response.Create().WithCallback(_ =>
        {
            var requests = new JsonArray(new JsonObject { ["id"] = "r-1", ["title"] = "Older job" });
            foreach (var variables in Posted("RequestCreate"))
                requests.Add(new JsonObject { ["id"] = "r-9", ["title"] = variables["input"]!["title"]!.GetValue<string>() });
            return Json(new JsonObject { ["data"] = new JsonObject { ["client"] = new JsonObject { ["requests"] = new JsonObject { ["nodes"] = requests } } } });
        }));

    /// <summary>The variables of every mutation whose document names <paramref name="operationName"/>, as Jobber received them.</summary>
    private List<JsonObject> Posted(string operationName) => _jobber.LogEntries
        .Select(e => e.RequestMessage.Body)
        .Where(b => b is not null && b.Contains($"{operationName}(", StringComparison.Ordinal) && b.Contains("mutation", StringComparison.Ordinal))
        .Select(b => JsonNode.Parse(b!)!["variables"]!.AsObject())
        .ToList();

    private static ResponseMessage Json(JsonObject body) => new()
    {
        StatusCode = 200,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
        BodyData = new BodyData { BodyAsString = body.ToJsonString(), DetectedBodyType = BodyType.String },
    };

    public async Task DisposeAsync()
    {
        await _pipeline.DisposeAsync();
        await _front.DisposeAsync();
        _jobber.Stop();
    }
}
