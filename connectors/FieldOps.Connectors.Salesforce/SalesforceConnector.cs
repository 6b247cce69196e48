using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.CrossReferences;
using Microsoft.Extensions.Options;
using Refit;

namespace FieldOps.Connectors.Salesforce;

/// <summary>
/// Salesforce over the REST API: <c>upsert</c> by external id, <c>update</c> by record id (closing a Case),
/// <c>note</c> as a CaseComment (not idempotent: it carries the operation key as a marker so
/// <see cref="CheckEffectAsync"/> can find it).
/// </summary>
/// <param name="api">The REST API client.</param>
/// <param name="options">The connector's options.</param>
/// <param name="usage">The org's API usage, from the responses.</param>
/// <param name="crossReferences">Resolves a note's <c>$xref</c> ParentId for the effect check (optional: the host has one).</param>
public sealed partial class SalesforceConnector(
    ISalesforceApi api, IOptions<SalesforceOptions> options, SalesforceApiUsage usage, ICrossReferenceStore? crossReferences = null)
    : IConnector, IEffectChecker
{
    public const string ConnectorName = "salesforce";

    /// <summary>The credentials-store connection (one org per instance in version 1).</summary>
    public const string ConnectionName = "salesforce:default";

    private readonly SalesforceOptions _options = options.Value;

    public string Name => ConnectorName;

    public bool IsNonIdempotent(OutboundOperation operation) =>
        string.Equals(operation?.Operation, OperationNames.Note, StringComparison.Ordinal);

    /// <summary>The marker a CaseComment carries so a resend can be detected: <c>[fieldops:&lt;operation id&gt;]</c>.</summary>
    public static string Marker(string operationId) => $"[fieldops:{operationId}]";

    public async Task<DeliveryOutcome> DeliverAsync(OutboundOperation operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var payload = operation.Payload;
        var version = _options.ApiVersion;
        switch (operation.Operation)
        {
            case OperationNames.Upsert when payload.Param("externalIdField") is { } field:
                return await CallAsync(
                    ct => api.UpsertAsync(version, operation.ObjectType, field, operation.IdempotencyKey, payload.Fields, ct),
                    (_, body) => FromSaveResult(body, operation.ObjectType), cancellationToken).ConfigureAwait(false);
            case OperationNames.Update when payload.Param("id") is { } id:
                return await CallAsync(
                    ct => api.UpdateAsync(version, operation.ObjectType, id, payload.Fields, ct),
                    (_, _) => DeliveryOutcome.Delivered(id, operation.ObjectType), cancellationToken).ConfigureAwait(false);
            case OperationNames.Note when operation.ObjectType == "CaseComment":
                var fields = payload.Fields.DeepClone().AsObject();
                fields["CommentBody"] = $"{payload.Field("CommentBody")}\n{Marker(operation.Id)}".TrimStart('\n');
                return await CallAsync(
                    ct => api.CreateAsync(version, "CaseComment", fields, ct),
                    (_, body) => FromSaveResult(body, "CaseComment"), cancellationToken).ConfigureAwait(false);
            case OperationNames.Upsert:
                return DeliveryOutcome.Permanent("salesforce upsert needs params.externalIdField (e.g. FS_Customer_Id__c).");
            case OperationNames.Update:
                return DeliveryOutcome.Permanent("salesforce update needs params.id (the record id, often an $xref).");
            case OperationNames.Note:
                return DeliveryOutcome.Permanent($"salesforce note writes a CaseComment, not '{operation.ObjectType}'.");
            default:
                return DeliveryOutcome.Permanent($"salesforce does not support the operation '{operation.Operation}' (upsert, update, note).");
        }
    }

    /// <summary>Makes one call and classifies the answer; network faults and timeouts are transient.</summary>
    private async Task<DeliveryOutcome> CallAsync(
        Func<CancellationToken, Task<HttpResponseMessage>> call, Func<int, string, DeliveryOutcome> onSuccess, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await call(cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var outcome = response.IsSuccessStatusCode
                ? onSuccess(status, body)
                : SalesforceErrorClassifier.Classify(status, body, _options, usage);
            return outcome with { StatusCode = status };
        }
        // Refit wraps what the handlers throw in ApiRequestException: classify the cause.
        catch (Exception ex) when (Cause(ex) is ConnectionBrokenException broken)
        {
            return DeliveryOutcome.ConnectionBroken(broken.Message);
        }
        catch (Exception ex) when (Cause(ex) is HttpRequestException network)
        {
            return DeliveryOutcome.Unanswered($"Salesforce unreachable: {network.Message}", network);
        }
        catch (Exception ex) when (Cause(ex) is TaskCanceledException timeout && !cancellationToken.IsCancellationRequested)
        {
            return DeliveryOutcome.Unanswered($"Salesforce did not answer within {_options.Timeout}.", timeout);
        }
    }

    private DeliveryOutcome FromSaveResult(string body, string objectType)
    {
        var result = SalesforceJson.Read<SalesforceSaveResult>(body);
        if (result is { Success: true, Id: { Length: > 0 } id })
            return DeliveryOutcome.Delivered(id, objectType);
        return result is { Errors.Count: > 0 }
            ? SalesforceErrorClassifier.ClassifyErrors(result.Errors, _options, usage)
            : DeliveryOutcome.Transient($"Salesforce answered success without an id: {SalesforceJson.Excerpt(body)}");
    }

    private static Exception Cause(Exception ex) => ex is ApiRequestException { InnerException: { } inner } ? inner : ex;

    [GeneratedRegex("^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$")]
    private static partial Regex RecordId();

    private static JsonObject Clone(JsonObject fields) => fields.DeepClone().AsObject();
}
