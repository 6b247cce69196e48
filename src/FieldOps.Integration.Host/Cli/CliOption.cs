namespace FieldOps.Integration.Host.Cli;

/// <summary>One option of a verb: <c>--name</c>, the placeholder of its value (null for a flag) and what it does.</summary>
internal sealed record CliOption(string Name, string? Value, string Meaning)
{
    /// <summary>Accepted but not listed in the help (the host's own switches that test hosts pass).</summary>
    public bool Hidden { get; init; }
}
