using FieldOps.Integration.Core.Operations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FieldOps.Integration.Storage.Operations;

/// <summary>Registers the operator's store.</summary>
public static class OperationsStorageServiceCollectionExtensions
{
    /// <summary>Adds <see cref="IOperationsStore"/> and the operators' <see cref="IAuditLog"/> over the configured store (call after <c>AddFieldOpsStore</c>).</summary>
    public static IServiceCollection AddOperationsStore(this IServiceCollection services)
    {
        services.TryAddSingleton<IOperationsStore, OperationsStore>();
        services.TryAddSingleton<IAuditLog, AuditLogStore>();
        return services;
    }
}
