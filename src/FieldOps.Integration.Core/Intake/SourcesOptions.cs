namespace FieldOps.Integration.Core.Intake;

/// <summary>Every configured source by name (the <c>Sources</c> section); names compare case-insensitively.</summary>
public sealed class SourcesOptions : Dictionary<string, SourceOptions>
{
    public const string SectionName = "Sources";

    public SourcesOptions() : base(StringComparer.OrdinalIgnoreCase) { }
}
