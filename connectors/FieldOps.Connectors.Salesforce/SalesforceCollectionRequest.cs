using System.Text.Json.Nodes;

namespace FieldOps.Connectors.Salesforce;

/// <summary>The body of an sObject Collections upsert: each record carries <c>attributes.type</c> and its external id.</summary>
/// <param name="AllOrNone">False: each record succeeds or fails on its own.</param>
/// <param name="Records">The records, at most 200, one sObject type.</param>
public sealed record SalesforceCollectionRequest(bool AllOrNone, IReadOnlyList<JsonObject> Records);
