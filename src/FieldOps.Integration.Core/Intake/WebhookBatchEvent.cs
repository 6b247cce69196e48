namespace FieldOps.Integration.Core.Intake;

/// <summary>One event of a delivery that carries several (<see cref="IWebhookSourceKind.SplitBatch"/>): its own inbox event.</summary>
/// <param name="DedupKey">Its inbox dedup key.</param>
/// <param name="Json">Its own JSON document, stored as the inbox event's body.</param>
public sealed record WebhookBatchEvent(string DedupKey, string Json);
