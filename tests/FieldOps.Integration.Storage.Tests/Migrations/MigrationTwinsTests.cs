using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Storage.Migrations;

namespace FieldOps.Integration.Storage.Tests.Migrations;

/// <summary>
/// Every migration exists for every provider under the same number and name (Migrations/Sqlite, Migrations/Postgres,
/// Migrations/SqlServer): whoever adds a migration for one database writes its twins, or the schemas drift apart.
/// </summary>
public sealed class MigrationTwinsTests
{
    public static TheoryData<StoreProvider> Providers => new(Enum.GetValues<StoreProvider>());

    [Theory]
    [MemberData(nameof(Providers))]
    public void EveryMigration_ExistsForEveryProvider_WithTheSameNumberAndName(StoreProvider provider)
    {
        var all = Enum.GetValues<StoreProvider>().ToDictionary(p => p, p => MigrationCatalog.For(p).Select(m => $"{m.Version:D4}_{m.Name}").ToHashSet());
        var missing = all.Values.SelectMany(v => v).Distinct().Where(m => !all[provider].Contains(m)).Order().ToList();
        Assert.True(missing.Count == 0,
            $"Migrations/{provider} lacks {string.Join(", ", missing)} (present for another provider): write the twin with the same number and name.");
    }

    [Fact]
    public void EveryProvider_ShipsMigrations_AndTheFirstCreatesTheInbox()
    {
        foreach (var provider in Enum.GetValues<StoreProvider>())
        {
            var first = MigrationCatalog.For(provider)[0];
            Assert.Equal(1, first.Version);
            Assert.Contains("CREATE TABLE inbox", first.Sql, StringComparison.OrdinalIgnoreCase);
        }
    }
}
