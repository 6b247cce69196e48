namespace FieldOps.Integration.Host.Tests.Ops.Browser;

/// <summary>A browser test: SKIPPED, naming the path, when Debian's Chromium is not installed (<c>apt-get install -y chromium</c>; CI installs it).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ExecutablePath))
            Skip = $"SKIPPED: no Chromium at {ExecutablePath} (apt-get install -y chromium)";
    }
}
