namespace FieldOps.Integration.Core.Mapping.Model;

/// <summary>One <c>enrich</c> step of a flow, compiled: a connector read whose result the flow's expressions see as <c>$name</c>.</summary>
internal sealed class CompiledEnrichStep
{
    /// <summary>The variable the result is bound to (without <c>$</c>), unique within the flow.</summary>
    public required string Name { get; init; }

    public required string Connector { get; init; }

    public required string Connection { get; init; }

    /// <summary>What the connector reads, e.g. <c>query</c> (Salesforce SOQL).</summary>
    public required string Read { get; init; }

    /// <summary>Read only when true; null means always. When false the variable stays undefined.</summary>
    public CompiledTemplate? When { get; init; }

    /// <summary>The read's parameters: an object of templates.</summary>
    public required CompiledTemplate Params { get; init; }
}
