namespace FieldOps.Sources.Jobber;

/// <summary>
/// A Jobber catch-up sweep (<c>Sources:{name}:Poll</c> with <c>Adapter: jobber</c>): one entity's connection, read
/// "updated since" with Relay cursors, 100 nodes a page. Each node is stored already hydrated, as if its webhook
/// (<see cref="Topic"/>) had arrived, so it dedups against the webhook of the same change.
/// </summary>
public sealed class JobberPollOptions
{
    /// <summary>The entity swept: <c>Client</c>, <c>Job</c>, <c>Visit</c>, <c>Invoice</c> or <c>TimeSheetEntry</c>. <value>The default value is <c>Client</c>.</value></summary>
    public string Entity { get; set; } = "Client";

    /// <summary>The webhook topic a swept change stands for (it picks the canonical type). <value>The default value is <c>CLIENT_UPDATE</c>.</value></summary>
    public string Topic { get; set; } = "CLIENT_UPDATE";

    /// <summary>
    /// The connection's "updated since" filter field. Jobber's filter shapes vary per connection and this one is from
    /// secondary sources: confirm it by introspection for your API version. <value>The default value is <c>updatedAfter</c>.</value>
    /// </summary>
    public string SinceFilter { get; set; } = "updatedAfter";

    /// <summary>Nodes per page (Jobber caps connections at 100). <value>The default value is 100.</value></summary>
    public int PageSize { get; set; } = 100;
}

/// <summary>The Jobber sweep settings of every source, by name (only <c>Poll</c> is read).</summary>
public sealed class JobberSourcesOptions : Dictionary<string, JobberSourceOptions>
{
    public const string SectionName = "Sources";

    public JobberSourcesOptions() : base(StringComparer.OrdinalIgnoreCase) { }
}

/// <summary>One source's Jobber sweep settings.</summary>
public sealed class JobberSourceOptions
{
    public JobberPollOptions Poll { get; set; } = new();
}
