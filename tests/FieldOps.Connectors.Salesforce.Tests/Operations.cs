using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Connectors.Salesforce.Tests;

/// <summary>Operations as the flows write them (docs/operations.md).</summary>
internal static class Operations
{
    public static OutboundOperation Upsert(string key, string fieldsJson, string objectType = "Account", string externalIdField = "FS_Customer_Id__c") =>
        Create(OperationNames.Upsert, objectType, key, $$$"""{"fields": {{{fieldsJson}}}, "params": {"externalIdField": "{{{externalIdField}}}"}}""");

    public static OutboundOperation CloseCase(string caseId) =>
        Create(OperationNames.Update, "Case", "JOB-2024-0042", $$$"""{"fields": {"Status": "Closed"}, "params": {"id": "{{{caseId}}}"}}""");

    public static OutboundOperation CaseComment(string parentId, string body, string id = "0f1e2d3c4b5a69788796a5b4c3d2e1f0") =>
        Create(OperationNames.Note, "CaseComment", "JOB-2024-0042:note", $$$"""{"fields": {"ParentId": "{{{parentId}}}", "CommentBody": "{{{body}}}", "IsPublished": false}}""", id);

    public static OutboundOperation Create(string operation, string objectType, string key, string payload, string? id = null) => new()
    {
        Id = id ?? Guid.NewGuid().ToString("N"),
        Connector = "salesforce",
        Operation = operation,
        ObjectType = objectType,
        IdempotencyKey = key,
        PartitionKey = $"salesforce:{objectType}:{key}",
        Payload = OperationPayload.Parse(payload),
    };
}
