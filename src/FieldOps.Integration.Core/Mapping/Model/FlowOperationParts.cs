namespace FieldOps.Integration.Core.Mapping.Model;

/// <summary>What of one operation goes into its flow's composite expression.</summary>
/// <param name="Index">The operation's position in the flow.</param>
/// <param name="WhenPointer">The operation's <c>when</c>, if any.</param>
/// <param name="ForEach">True for a <c>forEach</c> operation: only its <c>when</c> joins the composite.</param>
/// <param name="BodyParts">The body's parts (name, JSON pointer).</param>
internal sealed record FlowOperationParts(int Index, string? WhenPointer, bool ForEach, IReadOnlyList<(string Name, string Pointer)> BodyParts);
