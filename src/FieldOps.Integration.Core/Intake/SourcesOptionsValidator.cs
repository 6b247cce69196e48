using FieldOps.Integration.Core.Hydration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Intake;

/// <summary>Checks every source, naming the configuration key in each message.</summary>
/// <param name="configuration">
/// The raw configuration: the binder silently drops a dictionary entry whose enum value is not one of its names (an
/// unknown signature scheme would make the source vanish), so those values are checked as written.
/// </param>
/// <param name="kinds">The registered source kinds: a source's kind must be one, and may impose its signature scheme.</param>
/// <param name="hydrators">The kinds' record hydrators: a source whose kind fetches records must have what fetching needs, or be <c>WebhookOnly</c>.</param>
internal sealed class SourcesOptionsValidator(IConfiguration configuration, WebhookSourceKinds kinds, RecordHydrators hydrators) : IValidateOptions<SourcesOptions>
{
    public ValidateOptionsResult Validate(string? name, SourcesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        // A source whose values do not bind is dropped from the dictionary without a word; check what was written.
        foreach (var written in configuration.GetSection(SourcesOptions.SectionName).GetChildren())
        {
            var key = $"Sources:{written.Key}";
            CheckEnum<SignatureAlgorithm>($"{key}:Signature:Algorithm", failures);
            CheckEnum<SignatureEncoding>($"{key}:Signature:Encoding", failures);
            CheckEnum<SignedContent>($"{key}:Signature:SignedContent", failures);
            if (failures.Count == 0 && !options.ContainsKey(written.Key))
                failures.Add($"{key}: could not be read; check its values.");
        }
        foreach (var (sourceName, source) in options)
        {
            var key = $"Sources:{sourceName}";
            var kind = kinds.Find(source.Kind);
            if (kind is null)
                failures.Add($"{key}:Kind: '{source.Kind}' is not one of {string.Join(", ", kinds.Names)}.");
            // A polled-only kind takes no webhooks: no signature, body limit or dedup settings apply.
            if (kind is not { AcceptsWebhooks: false })
            {
                var signature = kind?.Signature(source.Signature) ?? source.Signature;
                if (signature.Algorithm != SignatureAlgorithm.None)
                {
                    if (string.IsNullOrWhiteSpace(source.Secret))
                        failures.Add($"{key}:Secret: is required (set the environment variable Sources__{sourceName}__Secret).");
                    if (string.IsNullOrWhiteSpace(signature.Header))
                        failures.Add($"{key}:Signature:Header: is required for {signature.Algorithm}.");
                }
                if (signature.TimestampTolerance <= TimeSpan.Zero)
                    failures.Add($"{key}:Signature:TimestampTolerance: '{signature.TimestampTolerance}' must be positive.");
                if (signature.SignedContent == SignedContent.TimestampDotBody && string.IsNullOrWhiteSpace(signature.TimestampHeader))
                    failures.Add($"{key}:Signature:TimestampHeader: is required when SignedContent is TimestampDotBody.");
                if (source.MaxBodyBytes is < 1 or > 64 * 1024 * 1024)
                    failures.Add($"{key}:MaxBodyBytes: {source.MaxBodyBytes} is out of range 1..67108864.");
                foreach (var pointer in source.Dedup.JsonPointers.Where(p => !p.StartsWith('/')))
                    failures.Add($"{key}:Dedup:JsonPointers: '{pointer}' is not a JSON Pointer (it must start with '/').");
            }
            if (!source.WebhookOnly && kind is not null && hydrators.Find(source.Kind) is { } hydrator
                && hydrator.MissingSettings(configuration.GetSection(key)) is { Count: > 0 } missing)
            {
                // Accepting webhooks that can never be routed, while readiness says Healthy, is the trap (issue 18).
                failures.Add($"{key}: a '{source.Kind}' webhook names only an id, and fetching the record needs " +
                    $"{string.Join(", ", missing.Select(m => $"{key}:{m}"))} (environment: {string.Join(", ", missing.Select(m => $"Sources__{sourceName}__{m}"))}); " +
                    $"or set {key}:WebhookOnly=true to accept its webhooks now and route them once those are set.");
            }
            if (source.ApiBaseUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
                failures.Add($"{key}:ApiBaseUrl: '{url.OriginalString}' is not an absolute http(s) URL.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void CheckEnum<TEnum>(string key, List<string> failures)
        where TEnum : struct, Enum
    {
        var written = configuration[key];
        if (written is not null && !Enum.TryParse<TEnum>(written, ignoreCase: true, out _))
            failures.Add($"{key}: '{written}' is not one of {string.Join(", ", Enum.GetNames<TEnum>())}.");
    }
}
