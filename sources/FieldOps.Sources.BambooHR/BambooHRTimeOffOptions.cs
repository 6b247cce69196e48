namespace FieldOps.Sources.BambooHR;

/// <summary>The BambooHR settings of every source, by name (the <c>Sources</c> section).</summary>
public sealed class BambooHRSourcesOptions : Dictionary<string, BambooHRSourceOptions>
{
    public const string SectionName = "Sources";

    public BambooHRSourcesOptions() : base(StringComparer.OrdinalIgnoreCase) { }
}

/// <summary>A BambooHR source (<c>Sources:{name}</c>, <c>ApiBaseUrl</c> = <c>https://{company}.bamboohr.com</c>).</summary>
public sealed class BambooHRSourceOptions
{
    /// <summary>The API key (HTTP Basic, the key as user name and <c>x</c> as password), from <c>Sources__{name}__ApiKey</c>.</summary>
    public string? ApiKey { get; set; }

    public BambooHRTimeOffOptions Poll { get; set; } = new();

    /// <summary>Redacts the key.</summary>
    public override string ToString() => "BambooHRSource(ApiKey=***)";
}

/// <summary>
/// How time-off requests are polled (<c>Sources:{name}:Poll</c> with <c>Adapter: bamboohr-timeoff</c>). BambooHR has no
/// "changed since" for time off and no webhook event for it: each run reads every request overlapping a rolling
/// window, and a request is a new event only when its status or dates changed.
/// </summary>
public sealed class BambooHRTimeOffOptions
{
    /// <summary>How far back the window starts. <value>The default value is 30 days.</value></summary>
    public TimeSpan LookBack { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How far ahead the window reaches. <value>The default value is 365 days.</value></summary>
    public TimeSpan Horizon { get; set; } = TimeSpan.FromDays(365);

    /// <summary>The timeout of one call. <value>The default value is 30 seconds.</value></summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
