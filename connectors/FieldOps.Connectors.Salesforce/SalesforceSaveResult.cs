namespace FieldOps.Connectors.Salesforce;

/// <summary>What Salesforce answers for one written record (single upsert/create, or one item of a collection).</summary>
public sealed record SalesforceSaveResult
{
    public string? Id { get; init; }

    public bool Success { get; init; }

    public bool? Created { get; init; }

    public IReadOnlyList<SalesforceError> Errors { get; init; } = [];
}
