using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Connectors;
using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.BambooHR;

/// <summary>
/// BambooHR hours: <c>log-time</c> on <c>TimeTrackingRecord</c> through the Hours API's create-or-update endpoint
/// (<c>/api/v1/timetracking/record</c>) keyed by our <c>timeTrackingId</c>, so a retry updates instead of adding hours.
/// One operation is a bulk call of one; several share a call (docs/operations.md, "bamboohr").
/// </summary>
public sealed class BambooHRConnector : IBatchConnector
{
    public const string ConnectorName = "bamboohr";
    private const string ObjectType = "TimeTrackingRecord";
    private static readonly string[] RequiredFields = ["dateHoursWorked", "hoursWorked"];

    private readonly BambooHRClient _client;
    private readonly BambooHREmployeeResolver _employees;
    private readonly IOptions<BambooHROptions> _options;

    internal BambooHRConnector(BambooHRClient client, BambooHREmployeeResolver employees, IOptions<BambooHROptions> options)
    {
        _client = client;
        _employees = employees;
        _options = options;
    }

    public string Name => ConnectorName;

    /// <summary>BambooHR publishes no limit for the bulk Hours call: <see cref="BambooHROptions.MaxBatchSize"/>.</summary>
    public int MaxBatchSize => _options.Value.MaxBatchSize;

    public bool CanBatch(OutboundOperation first, OutboundOperation other)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(other);
        return IsLogTime(first) && IsLogTime(other) && string.Equals(first.Connection, other.Connection, StringComparison.Ordinal);
    }

    public async Task<DeliveryOutcome> DeliverAsync(OutboundOperation operation, CancellationToken cancellationToken) =>
        (await DeliverBatchAsync([operation], cancellationToken).ConfigureAwait(false))[0];

    public async Task<IReadOnlyList<DeliveryOutcome>> DeliverBatchAsync(IReadOnlyList<OutboundOperation> operations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var outcomes = new DeliveryOutcome?[operations.Count];
        var records = new JsonArray();
        var sent = new List<(int Index, string TimeTrackingId)>();
        for (var i = 0; i < operations.Count; i++)
        {
            var (record, failure) = await BuildRecordAsync(operations[i], cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                outcomes[i] = failure;
                continue;
            }
            records.Add(record);
            sent.Add((i, record!["timeTrackingId"]!.GetValue<string>()));
        }

        if (sent.Count > 0)
        {
            var reply = await _client.RecordHoursAsync(records, cancellationToken).ConfigureAwait(false);
            var results = BambooHRBulkResults.Split(reply, sent.Select(s => s.TimeTrackingId).ToList(), _options.Value.AuthMode);
            for (var j = 0; j < sent.Count; j++)
                outcomes[sent[j].Index] = results[j];
        }
        return outcomes.Select(o => o!).ToList();
    }

    private static bool IsLogTime(OutboundOperation operation) =>
        operation.Operation == OperationNames.LogTime && operation.ObjectType == ObjectType;

    /// <summary>The hour record for one operation: its fields, our timeTrackingId, the resolved employee id.</summary>
    private async Task<(JsonObject? Record, DeliveryOutcome? Failure)> BuildRecordAsync(OutboundOperation operation, CancellationToken cancellationToken)
    {
        if (!IsLogTime(operation))
            return (null, DeliveryOutcome.Permanent(
                $"The bamboohr connector does not do '{operation.Operation}' on '{operation.ObjectType}' (see docs/operations.md)."));
        var record = operation.Payload.Fields.DeepClone().AsObject();
        var missing = RequiredFields.Where(f => record[f] is null).ToList();
        if (missing.Count > 0)
            return (null, DeliveryOutcome.Permanent($"BambooHR hour record needs fields {string.Join(", ", missing)}.", missing));

        if (record["employeeId"] is null)
        {
            var technician = operation.Payload.Params["technician"];
            var (employeeId, failure) = await _employees.ResolveAsync(
                Text(technician?["id"]), Text(technician?["email"]), cancellationToken).ConfigureAwait(false);
            if (failure is not null)
                return (null, failure);
            record["employeeId"] = long.TryParse(employeeId, out var number) ? number : employeeId;
        }
        record["timeTrackingId"] = BambooHRTimeTrackingId.For(operation.IdempotencyKey);
        record["rateType"] ??= _options.Value.DefaultRateType;
        return (record, null);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.ToString() is { Length: > 0 } text ? text : null;
}
