namespace FieldOps.Sources.Rest;

/// <summary>The REST poll settings of every source, by name (the <c>Sources</c> section; only <c>Poll</c> is read).</summary>
public sealed class RestSourcesOptions : Dictionary<string, RestSourceOptions>
{
    public const string SectionName = "Sources";

    public RestSourcesOptions() : base(StringComparer.OrdinalIgnoreCase) { }
}

/// <summary>One source's REST poll settings (<c>Sources:{name}:Poll</c>).</summary>
public sealed class RestSourceOptions
{
    public RestPollOptions Poll { get; set; } = new();
}
