using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using Microsoft.Extensions.Options;
using Refit;

namespace FieldOps.Connectors.HubSpot;

/// <summary>
/// HubSpot CRM v3: <c>upsert</c> of contacts, companies and tickets by a unique property (through the batch upsert endpoint; several in one call when the dispatcher batches them),
/// <c>update</c> by unique property (moving a ticket to the closed stage), and <c>note</c> associated with a ticket
/// and a contact (not idempotent: it carries the operation key so <see cref="CheckEffectAsync"/> can find it).
/// </summary>
public sealed partial class HubSpotConnector(IHubSpotApi api, IOptions<HubSpotOptions> options, HubSpotRateLimits limits, TimeProvider time)
    : IBatchConnector, IEffectChecker
{
    public const string ConnectorName = "hubspot";

    /// <summary>The credentials-store connection (one portal per instance in version 1).</summary>
    public const string ConnectionName = "hubspot:default";

    private readonly HubSpotOptions _options = options.Value;
    private readonly HubSpotErrorClassifier _classifier = new(options.Value, limits, time);

    public string Name => ConnectorName;

    public bool IsNonIdempotent(OutboundOperation operation) =>
        string.Equals(operation?.Operation, OperationNames.Note, StringComparison.Ordinal);

    /// <summary>The token a note carries so a resend can be detected: one search token, <c>fieldops&lt;operation id&gt;</c>.</summary>
    public static string Marker(string operationId) => $"fieldops{operationId}";

    public async Task<DeliveryOutcome> DeliverAsync(OutboundOperation operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var payload = operation.Payload;
        switch (operation.Operation)
        {
            case OperationNames.Upsert when payload.Param("idProperty") is not null:
                return (await DeliverBatchAsync([operation], cancellationToken).ConfigureAwait(false))[0];
            case OperationNames.Update when payload.Param("idProperty") is { } idProperty:
                var properties = Clone(payload.Fields);
                if (payload.Param("stage") is { } stage && !ApplyStage(properties, stage))
                    return DeliveryOutcome.Permanent($"hubspot update: unknown stage '{stage}' (closed).");
                return await CallAsync(
                    ct => api.UpdateAsync(_options.ObjectsPath, operation.ObjectType, operation.IdempotencyKey, idProperty, new HubSpotObjectInput(properties), ct),
                    body => FromObject(body, operation.ObjectType), operation.ObjectType, cancellationToken).ConfigureAwait(false);
            case OperationNames.Note:
                return await CreateNoteAsync(operation, payload, cancellationToken).ConfigureAwait(false);
            case OperationNames.Associate:
                return await AssociateAsync(operation, payload, cancellationToken).ConfigureAwait(false);
            case OperationNames.Upsert or OperationNames.Update:
                return DeliveryOutcome.Permanent($"hubspot {operation.Operation} needs params.idProperty (email, fs_customer_id, fs_job_id).");
            default:
                return DeliveryOutcome.Permanent($"hubspot does not support the operation '{operation.Operation}' (upsert, update, note, associate).");
        }
    }

    private bool ApplyStage(JsonObject properties, string stage)
    {
        if (!string.Equals(stage, "closed", StringComparison.OrdinalIgnoreCase))
            return false;
        properties["hs_pipeline"] = _options.TicketPipelineId;
        properties["hs_pipeline_stage"] = _options.ClosedStageId;
        return true;
    }

    /// <summary>Makes one call and classifies the answer; network faults and timeouts are transient.</summary>
    private async Task<DeliveryOutcome> CallAsync(
        Func<CancellationToken, Task<HttpResponseMessage>> call, Func<string, DeliveryOutcome> onSuccess, string objectType, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await call(cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var outcome = response.IsSuccessStatusCode ? onSuccess(body) : _classifier.Classify(response, body, objectType);
            return outcome with { StatusCode = (int)response.StatusCode };
        }
        // Refit wraps what the handlers throw in ApiRequestException: classify the cause.
        catch (Exception ex) when (Cause(ex) is ConnectionBrokenException broken)
        {
            return DeliveryOutcome.ConnectionBroken(broken.Message);
        }
        catch (Exception ex) when (Cause(ex) is HttpRequestException network)
        {
            return DeliveryOutcome.Unanswered($"HubSpot unreachable: {network.Message}", network);
        }
        catch (Exception ex) when (Cause(ex) is TaskCanceledException timeout && !cancellationToken.IsCancellationRequested)
        {
            return DeliveryOutcome.Unanswered($"HubSpot did not answer within {_options.Timeout}.", timeout);
        }
    }

    private static DeliveryOutcome FromObject(string body, string objectType) =>
        HubSpotJson.Read<HubSpotObject>(body) is { Id: { Length: > 0 } id }
            ? DeliveryOutcome.Delivered(id, objectType)
            : DeliveryOutcome.Transient($"HubSpot answered success without an id: {HubSpotJson.Excerpt(body)}");

    private static Exception Cause(Exception ex) => ex is ApiRequestException { InnerException: { } inner } ? inner : ex;

    private static JsonObject Clone(JsonObject fields) => fields.DeepClone().AsObject();
}
