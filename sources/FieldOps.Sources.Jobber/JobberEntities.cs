namespace FieldOps.Sources.Jobber;

/// <summary>
/// Which Jobber entity a webhook topic names, and the GraphQL query that fetches it with the fields the Jobber
/// source profile (<c>mappings/profiles/jobber.yaml</c>) reads. Nested connections carry <c>first</c> so the query
/// cost stays small (Jobber costs a connection without it at 100 nodes).
/// </summary>
internal static class JobberEntities
{
    private const string ClientFields =
        "id name firstName lastName companyName isCompany emails { address primary } phones { number description primary } " +
        "billingAddress { street1 street2 city province postalCode country } updatedAt";

    private const string TimeSheetFields =
        "id startAt endAt finalDuration note approved updatedAt user { id name { full } email { raw } } job { id }";

    private const string LineItemFields = "id name description quantity unitPrice totalPrice taxable linkedProductOrService { name }";

    private const string PageInfo = "pageInfo { hasNextPage endCursor }";

    private const string AddressFields = "street1 street2 city province postalCode country";

    /// <summary>
    /// The nested connections of a Job the shipped flows read, with the page size of the first call. The hydration
    /// query asks for one page of each (one call for nearly every job); a connection with more is paged after it.
    /// </summary>
    public static readonly IReadOnlyList<(string Name, int First, string Nodes)> JobConnections =
    [
        ("lineItems", 50, LineItemFields),
        ("notes", 20, "... on JobNote { message }"),
        ("timeSheetEntries", 50, TimeSheetFields),
    ];

    /// <summary>Topic prefix → (entity type, query root field, query).</summary>
    private static readonly Dictionary<string, (string EntityType, string Field, string Query)> ByPrefix = new(StringComparer.Ordinal)
    {
        ["CLIENT"] = ("Client", "client", $"query Hydrate($id: EncodedId!) {{ client(id: $id) {{ {ClientFields} }} }}"),
        ["JOB"] = ("Job", "job",
            "query Hydrate($id: EncodedId!) { job(id: $id) { id jobNumber title instructions jobStatus completedAt updatedAt total " +
            $"client {{ {ClientFields} }} property {{ address {{ {AddressFields} }} }} " +
            string.Join(" ", JobConnections.Select(c => $"{c.Name}(first: {c.First}) {{ nodes {{ {c.Nodes} }} {PageInfo} }}")) + " } }"),
        ["VISIT"] = ("Visit", "visit",
            "query Hydrate($id: EncodedId!) { visit(id: $id) { id title visitStatus startAt endAt completedAt createdAt updatedAt " +
            "job { id jobNumber } client { id } assignedUsers(first: 10) { nodes { id name { full } } } } }"),
        ["INVOICE"] = ("Invoice", "invoice",
            "query Hydrate($id: EncodedId!) { invoice(id: $id) { id invoiceNumber subject invoiceStatus issuedDate dueDate updatedAt " +
            "amounts { subtotal taxAmount total invoiceBalance } client { id } jobs(first: 10) { nodes { id } } " +
            $"lineItems(first: 50) {{ nodes {{ {LineItemFields} }} }} }} }}"),
        ["TIMESHEET"] = ("TimeSheetEntry", "timeSheetEntry", $"query Hydrate($id: EncodedId!) {{ timeSheetEntry(id: $id) {{ {TimeSheetFields} }} }}"),
    };

    /// <summary>The query for the next page of a Job's connection <paramref name="connection"/> (100 nodes, Jobber's most).</summary>
    public static string JobPageQuery((string Name, int First, string Nodes) connection) =>
        $"query Page($id: EncodedId!, $after: String!) {{ job(id: $id) {{ {connection.Name}(first: 100, after: $after) {{ nodes {{ {connection.Nodes} }} {PageInfo} }} }} }}";

    /// <summary>The entity for <paramref name="topic"/> (e.g. <c>JOB_CLOSED</c> → Job), or null when hydration does not cover it.</summary>
    public static (string EntityType, string Field, string Query)? ForTopic(string topic)
    {
        var underscore = topic.IndexOf('_', StringComparison.Ordinal);
        return underscore > 0 && ByPrefix.TryGetValue(topic[..underscore], out var entity) ? entity : null;
    }

    /// <summary>The entity by its type name, as <see cref="ForTopic"/> returns it.</summary>
    public static (string EntityType, string Field, string Query) ForType(string entityType)
    {
        foreach (var entity in ByPrefix.Values)
        {
            if (string.Equals(entity.EntityType, entityType, StringComparison.Ordinal))
                return entity;
        }
        throw new InvalidOperationException(
            $"Jobber entity '{entityType}' is not one of {string.Join(", ", ByPrefix.Values.Select(e => e.EntityType))} (Sources:{{name}}:Poll:Entity).");
    }

    /// <summary>The fields the profile reads of <paramref name="entityType"/>: the hydration query's selection set.</summary>
    public static string Selection(string entityType)
    {
        var query = ForType(entityType).Query;
        var start = query.IndexOf("(id: $id) {", StringComparison.Ordinal) + "(id: $id) {".Length;
        var end = query.LastIndexOf("} }", StringComparison.Ordinal);
        return query[start..end].Trim();
    }

    /// <summary>The connection that lists <paramref name="entityType"/> (e.g. <c>jobs</c>).</summary>
    public static string Connection(string entityType) => ForType(entityType).Field switch
    {
        "timeSheetEntry" => "timeSheetEntries",
        var field => field + "s",
    };
}
