namespace FieldOps.Integration.Core.Intake;

/// <summary>A registered webhook source kind's name (what <c>Sources:{name}:Kind</c> says).</summary>
public sealed record WebhookSourceKindName(string Name);
