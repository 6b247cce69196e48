namespace FieldOps.Integration.Host.Cli;

/// <summary>
/// A verb (or sub-verb) of <c>fieldops</c>: what its help prints and what runs it. The dispatcher checks the options
/// against <see cref="Options"/> before <see cref="Run"/> sees them, so every verb gets help, "did you mean" and exit 2
/// for a usage error the same way.
/// </summary>
internal sealed record CliVerb(string Name, string Summary, string Usage)
{
    /// <summary>Runs the verb with the arguments after its name; null for a verb that only groups sub-verbs.</summary>
    public Func<string[], Task<int>>? Run { get; init; }

    public IReadOnlyList<CliOption> Options { get; init; } = [];

    /// <summary>Positional arguments: name and meaning.</summary>
    public IReadOnlyList<(string Name, string Meaning)> Arguments { get; init; } = [];

    public IReadOnlyList<string> Examples { get; init; } = [];

    public IReadOnlyList<CliVerb> Verbs { get; init; } = [];

    /// <summary>Also accepts any configuration key as <c>--Section:Key=value</c> (the service's own command line).</summary>
    public bool AcceptsConfiguration { get; init; }

    /// <summary>Longer text printed under the summary.</summary>
    public string? Details { get; init; }

    public CliVerb? Find(string name) => Verbs.FirstOrDefault(v => v.Name == name);

    public CliOption? Option(string name) => Options.FirstOrDefault(o => o.Name == name);
}
