using FieldOps.Integration.Core.Hydration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Intake;

/// <summary>Registers the webhook intake and its source kinds.</summary>
public static class IntakeServiceCollectionExtensions
{
    /// <summary>
    /// Adds the intake (the <c>Sources</c> section, validated at start) with the built-in kinds <c>hmac</c> and
    /// <c>canonical</c>. Other kinds come from their source's project (<see cref="AddWebhookSourceKind{TKind}"/>).
    /// </summary>
    public static IServiceCollection AddWebhookIntake(this IServiceCollection services)
    {
        services.AddOptions<SourcesOptions>().BindConfiguration(SourcesOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SourcesOptions>, SourcesOptionsValidator>());
        services.TryAddSingleton<RecordHydrators>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WebhookSignatureVerifier>();
        services.TryAddSingleton<WebhookIntake>();
        services.AddWebhookSourceKind<JsonWebhookSourceKind>(SourceKinds.Hmac);
        services.AddWebhookSourceKind<JsonWebhookSourceKind>(SourceKinds.Canonical);
        return services;
    }

    /// <summary>Registers <typeparamref name="TKind"/> as the webhook source kind <paramref name="kind"/> (a keyed singleton).</summary>
    public static IServiceCollection AddWebhookSourceKind<TKind>(this IServiceCollection services, string kind)
        where TKind : class, IWebhookSourceKind
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        services.TryAddKeyedSingleton<IWebhookSourceKind, TKind>(kind);
        services.AddSingleton(new WebhookSourceKindName(kind));
        services.TryAddSingleton<WebhookSourceKinds>();
        return services;
    }
}
