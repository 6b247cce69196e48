using Microsoft.Extensions.DependencyInjection;

namespace FieldOps.Integration.Core.Intake;

/// <summary>The registered <see cref="IWebhookSourceKind"/>s, found by kind name case-insensitively.</summary>
public sealed class WebhookSourceKinds(IServiceProvider services, IEnumerable<WebhookSourceKindName> names)
{
    private readonly string[] _names = names.Select(n => n.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Every registered kind name, for validation messages.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The kind registered as <paramref name="kind"/> (any case), or null.</summary>
    public IWebhookSourceKind? Find(string? kind) =>
        _names.FirstOrDefault(n => string.Equals(n, kind, StringComparison.OrdinalIgnoreCase)) is { } name
            ? services.GetRequiredKeyedService<IWebhookSourceKind>(name)
            : null;
}
