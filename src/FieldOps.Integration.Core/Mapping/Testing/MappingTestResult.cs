namespace FieldOps.Integration.Core.Mapping.Testing;

/// <summary>The outcome of one mapping test file.</summary>
/// <param name="Name">The test's name.</param>
/// <param name="File">The test file.</param>
/// <param name="Differences">What differed from the expectation; empty when it passed.</param>
public sealed record MappingTestResult(string Name, string File, IReadOnlyList<string> Differences)
{
    public bool Passed => Differences.Count == 0;

    /// <summary>The expectations as the mappings now produce them, for <c>fieldops test --update</c>; null when the test cannot be rewritten (it expects no operations, or the event was not routed).</summary>
    public System.Text.Json.Nodes.JsonArray? Updated { get; init; }
}
