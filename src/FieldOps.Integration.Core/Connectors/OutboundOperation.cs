namespace FieldOps.Integration.Core.Connectors;

/// <summary>
/// One target operation as the dispatcher hands it to a connector: what to do (<see cref="Operation"/> on
/// <see cref="ObjectType"/>), with which vendor idempotency key, and the mapped fields in <see cref="Payload"/>
/// (every <c>$xref</c> placeholder already resolved).
/// </summary>
public sealed record OutboundOperation
{
    /// <summary>The outbox row key: hash(inbox event, flow, operation key, mapping revision).</summary>
    public required string Id { get; init; }

    /// <summary>The connector name, lower case: <c>salesforce</c>, <c>hubspot</c>, <c>quickbooks</c>, <c>bamboohr</c>, <c>http</c>.</summary>
    public required string Connector { get; init; }

    /// <summary>The named connection of that connector (one tenant per instance in version 1: <c>default</c>).</summary>
    public string Connection { get; init; } = "default";

    /// <summary>What to do: one of <see cref="OperationNames"/>.</summary>
    public required string Operation { get; init; }

    /// <summary>The target object type, e.g. <c>Account</c>, <c>Case</c>, <c>contacts</c>, <c>Invoice</c>.</summary>
    public required string ObjectType { get; init; }

    /// <summary>
    /// The vendor idempotency key, derived from the business entity (Salesforce external id value, HubSpot unique
    /// property value, QuickBooks <c>requestid</c> seed, BambooHR <c>timeTrackingId</c>).
    /// </summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>Operations with one partition key run in order (e.g. <c>quickbooks:customer:42</c>).</summary>
    public required string PartitionKey { get; init; }

    /// <summary>The mapped fields and operation parameters, parsed once when the row was claimed.</summary>
    public required OperationPayload Payload { get; init; }

    /// <summary>
    /// The source entity this operation writes (e.g. the FSM customer id): on delivery the target's id is stored as
    /// the cross-reference (connector, <see cref="ObjectType"/>, this id). Null when nothing needs remembering.
    /// </summary>
    public string? XrefSourceId { get; init; }

    /// <summary>The flow that produced the operation (for dead letters and metrics).</summary>
    public string Flow { get; init; } = "";

    /// <summary>The attempt number this call is, starting at 1.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>
    /// True when an earlier attempt of this non-idempotent operation may have reached the target (it was marked in
    /// flight and its outcome was never recorded): the connector must check for the effect before sending again.
    /// </summary>
    public bool MayHaveBeenApplied { get; init; }
}
