using FieldOps.Integration.Core.Housekeeping;
using FieldOps.Integration.Core.Sources;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Storage.Migrations;
using Quartz;

namespace FieldOps.Integration.Host.Jobs;

/// <summary>Schedules the source polls and housekeeping with Quartz.NET.</summary>
internal static class JobsServiceCollectionExtensions
{
    /// <summary>The scheduler name every process on one database shares: one cluster, one schedule.</summary>
    public const string SchedulerName = "fieldops";

    /// <summary>
    /// How often a process records in the shared schedule that it is alive. <value>5 seconds.</value> A dead
    /// process's jobs move to a survivor once it has missed its check-in by <see cref="CheckinMisfireThreshold"/>.
    /// </summary>
    public static readonly TimeSpan CheckinInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How far past a missed check-in a process counts as dead. <value>10 seconds</value>, longer than any pause of a
    /// live process we expect (a garbage collection, a slow database).
    /// </summary>
    public static readonly TimeSpan CheckinMisfireThreshold = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How late a run may start before it counts as missed. <value>5 seconds.</value> A missed run (its process died,
    /// or the previous run of the same job overran) fires once at once and the schedule goes on from there: no burst
    /// of catch-up runs.
    /// </summary>
    public static readonly TimeSpan MisfireThreshold = TimeSpan.FromSeconds(5);

    /// <summary>
    /// One poll job per source with <c>Sources:{name}:Poll:Adapter</c>, on its <c>Interval</c> or <c>Cron</c>, and the
    /// housekeeping job (<c>Housekeeping:Interval</c> or <c>Cron</c>). On PostgreSQL and SQL Server the schedule lives
    /// in the store's database (Quartz's clustered ADO.NET job store, its tables created by migration 0230), so among
    /// several processes each job runs on one at a time and moves to another when that one dies. SQLite is one process
    /// by design: the schedule is kept in memory there, and the watermarks are in our own tables, so nothing is lost on
    /// restart. The scheduler starts once the store's schema is current (<see cref="SchedulerStartService"/>).
    /// </summary>
    public static IServiceCollection AddSourceJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var sources = configuration.GetSection(SourceAdaptersOptions.SectionName).Get<SourceAdaptersOptions>() ?? [];
        var housekeeping = configuration.GetSection(HousekeepingOptions.SectionName).Get<HousekeepingOptions>() ?? new HousekeepingOptions();
        var store = configuration.GetSection(StoreOptions.SectionName).Get<StoreOptions>() ?? new StoreOptions();
        services.AddInstanceIdentity();
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o => o.InstanceName = SchedulerName);
            UseStore(q, store);
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
        services.AddSingleton<SchedulerStartService>();
        services.AddHostedService(sp => sp.GetRequiredService<SchedulerStartService>());
        services.AddSingleton<HousekeepingFaults>();
        return services;
    }

    /// <summary>The poll job of <paramref name="source"/>.</summary>
    public static JobKey PollJobKey(string source) => new($"poll:{source}", "sources");

    // The one provider choice of the schedule, made here at composition: the store's own database, or memory for SQLite.
    private static void UseStore(IQuartzBuilder q, StoreOptions store)
    {
        if (store.Provider == StoreProvider.Sqlite)
        {
            q.UseInMemoryStore();
            return;
        }
        q.UsePersistentStore(s =>
        {
            if (store.Provider == StoreProvider.SqlServer)
                s.UseSqlServer(store.EffectiveConnectionString);
            else
                s.UsePostgres(store.EffectiveConnectionString);
            s.ConfigureStore(o =>
            {
                o.TablePrefix = QuartzSchema.TablePrefix;
                o.MisfireThreshold = MisfireThreshold;
                // Migration 0230 creates the tables before the scheduler starts; Quartz only checks they are there.
                o.SchemaProvisioning = SchemaProvisioning.Validate;
            });
            // A clustered node's id is this process's instance id, so /health/ready, the logs and Quartz's own tables
            // (qrtz_scheduler_state, qrtz_fired_triggers) name the same process.
            q.UseInstanceIdGenerator<InstanceIdAsQuartzNode>();
            s.UseClustering(c =>
            {
                c.CheckinInterval = CheckinInterval;
                c.CheckinMisfireThreshold = CheckinMisfireThreshold;
            });
        });
    }

    private static ITriggerConfigurator Schedule(ITriggerConfigurator trigger, TimeSpan? interval, string? cron) =>
        !string.IsNullOrWhiteSpace(cron)
            ? trigger.WithCronSchedule(cron, c => c.WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            : trigger.WithSimpleSchedule(s => s.WithInterval(interval ?? TimeSpan.FromHours(1)).RepeatForever()
                .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithRemainingCount));
}
