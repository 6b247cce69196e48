namespace FieldOps.Integration.Core.Sources;

/// <summary>The adapter side of every configured source, by name (the <c>Sources</c> section, case-insensitive).</summary>
public sealed class SourceAdaptersOptions : Dictionary<string, SourceAdapterOptions>
{
    public const string SectionName = "Sources";

    public SourceAdaptersOptions() : base(StringComparer.OrdinalIgnoreCase) { }
}
