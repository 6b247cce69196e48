using System.Text.Json.Nodes;

namespace FieldOps.Integration.Core.Mapping.Evaluation;

/// <summary>A read a flow needs before it can map an event (its <c>enrich</c> step), with the parameters evaluated.</summary>
/// <param name="Flow">The flow's name.</param>
/// <param name="Name">The step's name: the result is bound as <c>$Name</c>.</param>
/// <param name="Connector">The connector that reads, e.g. <c>salesforce</c>.</param>
/// <param name="Connection">Its named connection.</param>
/// <param name="Read">What it reads, e.g. <c>query</c>.</param>
/// <param name="Params">The evaluated parameters.</param>
/// <param name="File">The flow's file, for error messages.</param>
public sealed record EnrichmentRequest(string Flow, string Name, string Connector, string Connection, string Read, JsonObject Params, string File)
{
    /// <summary>The key its result is stored under with the event: <c>{flow}/{name}</c>.</summary>
    public string Key => KeyOf(Flow, Name);

    /// <summary>The key of step <paramref name="name"/> of flow <paramref name="flow"/>.</summary>
    public static string KeyOf(string flow, string name) => $"{flow}/{name}";
}
