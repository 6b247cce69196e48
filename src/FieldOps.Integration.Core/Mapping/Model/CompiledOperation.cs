namespace FieldOps.Integration.Core.Mapping.Model;

/// <summary>One target operation of a flow, compiled.</summary>
internal sealed class CompiledOperation
{
    public required string Key { get; init; }

    public required string Connector { get; init; }

    public required string Connection { get; init; }

    public required string Operation { get; init; }

    public required string ObjectType { get; init; }

    /// <summary>Emit only when true; null means always.</summary>
    public CompiledTemplate? When { get; init; }

    /// <summary>One operation per item (bound as <c>$item</c>, <c>$index</c>); null means one operation.</summary>
    public CompiledTemplate? ForEach { get; init; }

    /// <summary>An object with <c>idempotencyKey</c>, <c>partitionKey</c>, <c>xrefSourceId</c>, <c>fields</c>, <c>params</c>.</summary>
    public required CompiledTemplate Body { get; init; }
}
