using FieldOps.Integration.Core.Sources;
using Quartz;

namespace FieldOps.Integration.Host.Jobs;

/// <summary>Polls one source (its name in the job data). One run at a time per source.</summary>
[DisallowConcurrentExecution]
internal sealed class PollJob(PollRunner runner) : IJob
{
    public const string SourceKey = "source";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await runner.RunAsync(context.MergedJobDataMap.GetString(SourceKey)!, cancellationToken).ConfigureAwait(false);
}
