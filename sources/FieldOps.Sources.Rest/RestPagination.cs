namespace FieldOps.Sources.Rest;

/// <summary>How a REST list pages.</summary>
public enum RestPagination
{
    /// <summary>The response names the next page's cursor (<see cref="RestPollOptions.NextCursor"/>); it is sent back as <see cref="RestPollOptions.CursorParameter"/>.</summary>
    Cursor,

    /// <summary>Numbered pages (<see cref="RestPollOptions.PageParameter"/>); a page shorter than <see cref="RestPollOptions.PageSize"/> is the last.</summary>
    Page,
}
