using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Configuration;

namespace FieldOps.Integration.Core.Secrets;

/// <summary>
/// The one scrubber for everything that leaves the process (logs, stored error texts, attempt records, admin API
/// bodies, CLI output): it replaces every known secret value — each configured one (<see cref="SecretKeys"/>) and
/// each token the credentials store has handed out or saved in this process — and every secret-shaped value
/// (<see cref="SecretPatterns"/>) with <c>***</c>. Values shorter than <see cref="MinimumLength"/> are not
/// replaced (masking every "abc" in every text would hide more than it protects).
/// </summary>
public sealed class SecretScrubber
{
    /// <summary>The shortest value treated as a secret.</summary>
    public const int MinimumLength = 6;

    private readonly Lock _gate = new();
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private string[] _needles = [];

    /// <summary>A scrubber that knows only secret shapes; add values with <see cref="Add"/>.</summary>
    public SecretScrubber() { }

    /// <summary>A scrubber that knows every secret in <paramref name="configuration"/>.</summary>
    public SecretScrubber(IConfiguration configuration) => AddConfiguration(configuration);

    /// <summary>Remembers every secret value in <paramref name="configuration"/>.</summary>
    public void AddConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            if (SecretKeys.IsSecret(key))
                Add(value);
            else if (SecretKeys.IsConnectionString(key))
                Add(SecretKeys.ConnectionStringPassword(value));
        }
    }

    /// <summary>Remembers <paramref name="secret"/> (and its JSON- and URL-escaped spellings) for the life of the process.</summary>
    public void Add(string? secret)
    {
        if (secret is null || secret.Trim().Length < MinimumLength)
            return;
        lock (_gate)
        {
            if (!_known.Add(secret))
                return;
            var spellings = new[]
            {
                secret, JavaScriptEncoder.Default.Encode(secret), JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(secret), Uri.EscapeDataString(secret),
            };
            // Longest first, so a secret that contains another is replaced whole.
            _needles = _needles.Concat(spellings).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length).ToArray();
        }
    }

    /// <summary>How many secret values are known (for tests and diagnostics; never the values).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _known.Count;
        }
    }

    /// <summary>Returns <paramref name="text"/> with every known secret and every secret-shaped value replaced.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public string? Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text;
        foreach (var needle in Volatile.Read(ref _needles))
        {
            if (text.Contains(needle, StringComparison.Ordinal))
                text = text.Replace(needle, SecretPatterns.Mask, StringComparison.Ordinal);
        }
        return SecretPatterns.Scrub(text);
    }
}
