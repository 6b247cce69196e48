using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FieldOps.Integration.Core.Storage;

/// <summary>Registers this process's <see cref="InstanceIdentity"/> (once, whoever asks first).</summary>
public static class InstanceIdentityServiceCollectionExtensions
{
    /// <summary>Adds the instance identity, named by <c>Instance:Name</c> when set: every lease this process takes carries its id.</summary>
    public static IServiceCollection AddInstanceIdentity(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new InstanceIdentity(sp.GetService<IConfiguration>()?[InstanceIdentity.NameKey]));
        return services;
    }
}
