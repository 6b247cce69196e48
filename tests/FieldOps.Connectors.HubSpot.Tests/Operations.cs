using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Connectors.HubSpot.Tests;

/// <summary>Operations as the shipped HubSpot flows write them (docs/operations.md).</summary>
internal static class Operations
{
    public static OutboundOperation UpsertContact(string email, string firstName, string customerId) =>
        Create(OperationNames.Upsert, "contacts", email,
            $$$"""{"fields": {"email": "{{{email}}}", "firstname": "{{{firstName}}}", "fs_customer_id": "{{{customerId}}}"}, "params": {"idProperty": "email"}}""");

    public static OutboundOperation UpsertTicket(string jobId) =>
        Create(OperationNames.Upsert, "tickets", jobId,
            $$$"""{"fields": {"subject": "Job {{{jobId}}}", "content": "Replaced 50 gal tank", "fs_job_id": "{{{jobId}}}"}, "params": {"idProperty": "fs_job_id"}}""");

    public static OutboundOperation CloseTicket(string jobId) =>
        Create(OperationNames.Update, "tickets", jobId, """{"params": {"idProperty": "fs_job_id", "stage": "closed"}}""");

    public static OutboundOperation Note(string ticketId, string? contactId = null, string id = "0f1e2d3c4b5a69788796a5b4c3d2e1f0")
    {
        var contact = contactId is null ? "" : $$$""", {"objectType": "contacts", "id": "{{{contactId}}}"}""";
        return Create(OperationNames.Note, "notes", "job-notes-JOB-2024-0042",
            $$$"""{"fields": {"hs_note_body": "<p>Technician T-117 on site.</p>", "hs_timestamp": "2025-06-03T15:40:00Z"}, "params": {"associations": [{"objectType": "tickets", "id": "{{{ticketId}}}"}{{{contact}}}]}}""",
            id);
    }

    public static OutboundOperation Create(string operation, string objectType, string key, string payload, string? id = null) => new()
    {
        Id = id ?? Guid.NewGuid().ToString("N"),
        Connector = "hubspot",
        Operation = operation,
        ObjectType = objectType,
        IdempotencyKey = key,
        PartitionKey = $"hubspot:{objectType}:{key}",
        Payload = OperationPayload.Parse(payload),
    };
}
