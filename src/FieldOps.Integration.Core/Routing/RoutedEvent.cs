using FieldOps.Integration.Core.Outbox;

namespace FieldOps.Integration.Core.Routing;

/// <summary>One mapped inbox event ready to commit: its outbox rows and, when its envelope has one, its entity version.</summary>
/// <param name="InboxEventId">The inbox event.</param>
/// <param name="Rows">The outbox rows its operations became.</param>
/// <param name="Version">The version to check against the ledger, or null (the event routes without a check).</param>
public sealed record RoutedEvent(long InboxEventId, IReadOnlyList<NewOutboxRow> Rows, EntityVersionClaim? Version);
