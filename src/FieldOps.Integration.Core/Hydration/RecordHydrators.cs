using Microsoft.Extensions.DependencyInjection;

namespace FieldOps.Integration.Core.Hydration;

/// <summary>The <see cref="IRecordHydrator"/>s, each registered as a keyed service under its source kind.</summary>
public sealed class RecordHydrators(IServiceProvider services)
{
    /// <summary>The hydrator of sources of <paramref name="sourceKind"/>, or null when that kind has none.</summary>
    public IRecordHydrator? Find(string sourceKind) => services.GetKeyedService<IRecordHydrator>(sourceKind);
}
