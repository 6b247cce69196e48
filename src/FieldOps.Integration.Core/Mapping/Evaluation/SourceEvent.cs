using System.Text.Json.Nodes;

namespace FieldOps.Integration.Core.Mapping.Evaluation;

/// <summary>An event as the mappings see it: the inbox event's identity and its raw JSON payload.</summary>
/// <param name="EventId">The inbox event id (as text).</param>
/// <param name="Source">The configured source name (<c>Sources:{name}</c>).</param>
/// <param name="SourceKind">The source's kind, which picks the profile.</param>
/// <param name="ReceivedAt">When intake received it.</param>
/// <param name="DedupKey">The inbox dedup key.</param>
/// <param name="Payload">The raw payload.</param>
public sealed record SourceEvent(string EventId, string Source, string SourceKind, DateTimeOffset ReceivedAt, string? DedupKey, JsonNode? Payload);
