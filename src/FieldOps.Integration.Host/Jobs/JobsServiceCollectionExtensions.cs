using FieldOps.Integration.Core.Housekeeping;
using FieldOps.Integration.Core.Sources;
using Quartz;

namespace FieldOps.Integration.Host.Jobs;

/// <summary>Schedules the source polls and housekeeping with Quartz.NET.</summary>
internal static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// One poll job per source with <c>Sources:{name}:Poll:Adapter</c>, on its <c>Interval</c> or <c>Cron</c>, and the
    /// housekeeping job (<c>Housekeeping:Interval</c> or <c>Cron</c>). Quartz keeps its schedule in memory: on SQLite it
    /// cannot cluster, and our watermarks are in our own tables, so nothing is lost on restart.
    /// </summary>
    public static IServiceCollection AddSourceJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var sources = configuration.GetSection(SourceAdaptersOptions.SectionName).Get<SourceAdaptersOptions>() ?? [];
        var housekeeping = configuration.GetSection(HousekeepingOptions.SectionName).Get<HousekeepingOptions>() ?? new HousekeepingOptions();
        services.AddQuartz(q =>
        {
            q.UseInMemoryStore();
            foreach (var (name, source) in sources.Where(s => s.Value.Poll.IsEnabled))
            {
                var key = PollJobKey(name);
                q.AddJob<PollJob>(j => j.WithIdentity(key).UsingJobData(PollJob.SourceKey, name));
                q.AddTrigger(t => Schedule(t.ForJob(key).WithIdentity($"poll:{name}", "sources").StartNow(), source.Poll.Interval, source.Poll.Cron));
            }
            var housekeepingKey = new JobKey("housekeeping", "store");
            q.AddJob<HousekeepingJob>(j => j.WithIdentity(housekeepingKey));
            q.AddTrigger(t => Schedule(t.ForJob(housekeepingKey).WithIdentity("housekeeping", "store").StartNow(), housekeeping.Interval, housekeeping.Cron));
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddSingleton<HousekeepingFaults>();
        return services;
    }

    /// <summary>The poll job of <paramref name="source"/>.</summary>
    public static JobKey PollJobKey(string source) => new($"poll:{source}", "sources");

    private static ITriggerConfigurator Schedule(ITriggerConfigurator trigger, TimeSpan? interval, string? cron) =>
        !string.IsNullOrWhiteSpace(cron)
            ? trigger.WithCronSchedule(cron)
            : trigger.WithSimpleSchedule(s => s.WithInterval(interval ?? TimeSpan.FromHours(1)).RepeatForever());
}
