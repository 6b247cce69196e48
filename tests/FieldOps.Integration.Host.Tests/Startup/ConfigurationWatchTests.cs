using System.Reflection;
using FieldOps.Integration.Host.Startup;
using FieldOps.Integration.Host.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;

namespace FieldOps.Integration.Host.Tests.Startup;

/// <summary>
/// Issue 15 (perf on the LoadDriver): the reloadable configuration files were watched through a file system watcher on
/// the whole content root with its subfolders, so every write to the SQLite database in <c>data/</c> woke it — about 8 %
/// of the process's CPU at 1,000 deliveries/s. The host polls those files instead.
/// </summary>
public sealed class ConfigurationWatchTests
{
    private const BindingFlags Instance = BindingFlags.NonPublic | BindingFlags.Instance;

    [Fact]
    public void Host_ReloadableConfigurationFiles_ArePolledNotWatchedWithTheDataFolder()
    {
        using var factory = new FieldOpsFactory();
        var root = (IConfigurationRoot)factory.Services.GetRequiredService<IConfiguration>();

        var reloadable = root.Providers.OfType<FileConfigurationProvider>().Where(p => p.Source.ReloadOnChange).ToList();

        Assert.NotEmpty(reloadable);
        Assert.All(reloadable, provider =>
        {
            var files = Assert.IsType<PhysicalFileProvider>(provider.Source.FileProvider);
            // The provider's public UsePollingFileWatcher reads false once its watcher exists, so look at the watcher: a
            // polling one has no FileSystemWatcher.
            var watcher = typeof(PhysicalFileProvider).GetFields(Instance).Single(f => f.FieldType == typeof(PhysicalFilesWatcher)).GetValue(files);
            var systemWatcher = typeof(PhysicalFilesWatcher).GetFields(Instance).Single(f => f.FieldType == typeof(FileSystemWatcher));
            Assert.True(watcher is null || systemWatcher.GetValue(watcher) is null,
                $"{provider.Source.Path} is watched by a file system watcher on {files.Root} and every folder under it");
        });
        Assert.Equal("true", Environment.GetEnvironmentVariable(FieldOpsApplication.PollingFileWatcherVariable), ignoreCase: true);
    }
}
