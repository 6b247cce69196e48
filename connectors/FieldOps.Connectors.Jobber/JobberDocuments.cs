namespace FieldOps.Connectors.Jobber;

/// <summary>
/// The GraphQL documents the connector sends. Mutation names and payload shapes: docs/reverse-directions.md §Jobber
/// (the old <c>*Upsert</c> and <c>jobNoteCreate</c> names were removed in API version 2023-08-18).
/// </summary>
internal static class JobberDocuments
{
    public const string FindClients =
        "query FindClients($term: String!, $first: Int!) { clients(searchTerm: $term, first: $first) { nodes { id emails { address } } } }";

    public const string ClientCreate =
        "mutation ClientCreate($input: ClientCreateInput!) { clientCreate(input: $input) { client { id } userErrors { message path } } }";

    public const string ClientRequests =
        "query ClientRequests($id: EncodedId!, $first: Int!) { client(id: $id) { requests(first: $first) { nodes { id title } } } }";

    public const string RequestCreate =
        "mutation RequestCreate($input: RequestCreateInput!) { requestCreate(input: $input) { request { id } userErrors { message path } } }";

    public const string EventCreate =
        "mutation EventCreate($input: EventCreateInput!) { eventCreate(input: $input) { event { id } userErrors { message path } } }";

    public const string EventDelete =
        "mutation EventDelete($id: EncodedId!) { eventDelete(eventId: $id) { userErrors { message path } } }";

    /// <summary>A note mutation and the query that lists the record's notes, per object a note can be attached to.</summary>
    public static readonly IReadOnlyDictionary<string, NoteDocuments> Notes = new Dictionary<string, NoteDocuments>(StringComparer.OrdinalIgnoreCase)
    {
        ["Job"] = new("jobCreateNote", "jobNote",
            "mutation JobCreateNote($id: EncodedId!, $input: JobCreateNoteInput!) { jobCreateNote(jobId: $id, input: $input) { jobNote { id } userErrors { message path } } }",
            "query JobNotes($id: EncodedId!, $first: Int!) { record: job(id: $id) { notes(first: $first) { nodes { ... on JobNote { id message } } } } }"),
        ["Client"] = new("clientCreateNote", "clientNote",
            "mutation ClientCreateNote($id: EncodedId!, $input: ClientCreateNoteInput!) { clientCreateNote(clientId: $id, input: $input) { clientNote { id } userErrors { message path } } }",
            "query ClientNotes($id: EncodedId!, $first: Int!) { record: client(id: $id) { notes(first: $first) { nodes { ... on ClientNote { id message } } } } }"),
        ["Request"] = new("requestCreateNote", "requestNote",
            "mutation RequestCreateNote($id: EncodedId!, $input: RequestCreateNoteInput!) { requestCreateNote(requestId: $id, input: $input) { requestNote { id } userErrors { message path } } }",
            "query RequestNotes($id: EncodedId!, $first: Int!) { record: request(id: $id) { notes(first: $first) { nodes { ... on RequestNote { id message } } } } }"),
    };

    internal sealed record NoteDocuments(string Mutation, string PayloadField, string Create, string List);
}
