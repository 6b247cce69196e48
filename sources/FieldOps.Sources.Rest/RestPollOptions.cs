namespace FieldOps.Sources.Rest;

/// <summary>
/// A REST list to poll (<c>Sources:{name}:Poll</c> with <c>Adapter: rest</c>). JSONata expressions read the response
/// and each item, so most products fit without code.
/// </summary>
public sealed class RestPollOptions
{
    /// <summary>The list's path under <c>Sources:{name}:ApiBaseUrl</c>, with any fixed query (e.g. <c>jobs?sort=-updated_at</c>).</summary>
    public string Path { get; set; } = "";

    /// <summary>How requests authenticate. <value>The default value is <see cref="RestAuth.None"/>.</value></summary>
    public RestAuth Auth { get; set; } = RestAuth.None;

    /// <summary>The header for <see cref="RestAuth.Header"/>. <value>The default value is <c>Authorization</c>.</value></summary>
    public string AuthHeader { get; set; } = "Authorization";

    /// <summary>The header's value for <see cref="RestAuth.Header"/>, from the environment (<c>Sources__{name}__Poll__ApiKey</c>). Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The client secret for <see cref="RestAuth.OAuth"/>, from the environment. Never logged.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The query parameter carrying "changed since"; none: every sweep reads everything. <value>The default value is <c>updated_since</c>.</value></summary>
    public string? SinceParameter { get; set; } = "updated_since";

    /// <summary>
    /// How "changed since" is written: a .NET format of the UTC time (<c>o</c>, <c>yyyy-MM-ddTHH:mm:ssZ</c>) or
    /// <c>unixms</c> / <c>unix</c>. <value>The default value is <c>o</c>.</value>
    /// </summary>
    public string SinceFormat { get; set; } = "o";

    /// <summary>How the list pages. <value>The default value is <see cref="RestPagination.Cursor"/>.</value></summary>
    public RestPagination Pagination { get; set; } = RestPagination.Cursor;

    /// <summary>The query parameter carrying the cursor. <value>The default value is <c>cursor</c>.</value></summary>
    public string CursorParameter { get; set; } = "cursor";

    /// <summary>The query parameter carrying the page number. <value>The default value is <c>page</c>.</value></summary>
    public string PageParameter { get; set; } = "page";

    /// <summary>The number of the first page. <value>The default value is 1.</value></summary>
    public int FirstPage { get; set; } = 1;

    /// <summary>The query parameter carrying the page size; none: not sent. <value>The default value is <c>per_page</c>.</value></summary>
    public string? PageSizeParameter { get; set; } = "per_page";

    /// <summary>Items per page. <value>The default value is 100.</value></summary>
    public int PageSize { get; set; } = 100;

    /// <summary>JSONata: the items of a response. <value>The default value is <c>items</c>.</value></summary>
    public string Items { get; set; } = "items";

    /// <summary>JSONata: the next cursor in a response (undefined, null or empty: last page). <value>The default value is <c>next_cursor</c>.</value></summary>
    public string NextCursor { get; set; } = "next_cursor";

    /// <summary>JSONata over an item: its id. <value>The default value is <c>$string(id)</c>.</value></summary>
    public string Id { get; set; } = "$string(id)";

    /// <summary>JSONata over an item: its version (an ISO 8601 time or unix ms). <value>The default value is <c>updatedAt</c>.</value></summary>
    public string Version { get; set; } = "updatedAt";

    /// <summary>JSONata over an item: the document stored in the inbox for the source profile. <value>The default value is <c>$</c> (the item).</value></summary>
    public string Payload { get; set; } = "$";

    /// <summary>The entity type of the items. <value>The default value is <c>Record</c>.</value></summary>
    public string EntityType { get; set; } = "Record";

    /// <summary>The change topic polled items stand for (a webhook with the same topic and version is the same change). <value>The default value is <c>poll</c>.</value></summary>
    public string Topic { get; set; } = "poll";

    /// <summary>The HTTP timeout of one page. <value>The default value is 60 s.</value></summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Redacts the secrets.</summary>
    public override string ToString() => $"RestPoll(Path={Path}, Auth={Auth}, Pagination={Pagination})";
}
