namespace FieldOps.Integration.Core.Mapping.Model;

/// <summary>A flow's <c>checks</c> entry: an expression over one of its operations that must give <c>true</c>.</summary>
internal sealed record CompiledCheck(string OperationKey, string Name, CompiledTemplate Expect);
