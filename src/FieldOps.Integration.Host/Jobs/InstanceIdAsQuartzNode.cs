using FieldOps.Integration.Core.Storage;
using Quartz.Extensibility;

namespace FieldOps.Integration.Host.Jobs;

/// <summary>Names this process's node in the clustered schedule by its <see cref="InstanceIdentity"/>.</summary>
internal sealed class InstanceIdAsQuartzNode(InstanceIdentity instance) : IInstanceIdGenerator
{
    public ValueTask<string> GenerateInstanceId(CancellationToken cancellationToken = default) => ValueTask.FromResult(instance.Id);
}
