using FieldOps.Integration.Core.CrossReferences;
using FieldOps.Integration.Storage.CrossReferences;
using FieldOps.Integration.Storage.Tests.Infrastructure;

namespace FieldOps.Integration.Storage.Tests.CrossReferences;

/// <summary>
/// Looking up many cross-references at once finds exactly what looking them up one by one finds, on every provider (a
/// server database answers them in one statement; SQLite runs one prepared statement per key).
/// </summary>
public sealed class CrossReferenceStoreProviderTests
{
    [Fact]
    public Task FindMany_OnSqlite_FindsWhatFindFinds() => RunAsync(new SqliteTestDatabase());

    [PostgresFact]
    public Task FindMany_OnPostgres_FindsWhatFindFinds() => RunAsync(new PostgresTestDatabase());

    [SqlServerFact]
    public Task FindMany_OnSqlServer_FindsWhatFindFinds() => RunAsync(new SqlServerTestDatabase());

    private static async Task RunAsync(TestDatabase database)
    {
        await using var db = await database.InitializeAsync();
        var store = new CrossReferenceStore(db.Connections, TimeProvider.System);
        // 250 known keys (more than one statement holds on a server database), two systems and types, ids with a quote,
        // look-alikes of a known id (a trailing space: SQL Server's = ignores it, so there it matches; another type);
        // half of the keys asked for are not known, one is asked twice.
        var known = new List<XrefPlaceholder>();
        for (var i = 0; i < 250; i++)
        {
            var key = new XrefPlaceholder(i % 3 == 0 ? "salesforce" : "quickbooks", i % 2 == 0 ? "Customer" : "Account", $"job-{i}'s");
            known.Add(key);
            await store.SaveAsync(key.System, key.Type, key.SourceId, "target-" + i, CancellationToken.None);
        }
        await store.SaveAsync("hubspot", "Ticket", "ABC", "upper", CancellationToken.None);
        var asked = new List<XrefPlaceholder>(known);
        for (var i = 0; i < 250; i++)
            asked.Add(new XrefPlaceholder("quickbooks", "Customer", $"missing-{i}"));
        asked.Add(new XrefPlaceholder("hubspot", "Ticket", "ABC"));
        asked.Add(new XrefPlaceholder("hubspot", "Ticket", "ABC "));
        asked.Add(new XrefPlaceholder("hubspot", "Contact", "ABC"));
        asked.Add(known[7]); // asked twice

        var found = await store.FindManyAsync(asked, CancellationToken.None);

        var foundOneByOne = 0;
        foreach (var key in asked.Distinct())
        {
            var one = await store.FindAsync(key.System, key.Type, key.SourceId, CancellationToken.None);
            Assert.Equal(one, found.GetValueOrDefault(key));
            foundOneByOne += one is null ? 0 : 1;
        }
        Assert.Equal(foundOneByOne, found.Count);
        Assert.InRange(found.Count, 251, 252);
        Assert.Equal("target-249", found[known[249]]);
        Assert.Equal("upper", found[new XrefPlaceholder("hubspot", "Ticket", "ABC")]);
        Assert.Empty(await store.FindManyAsync([], CancellationToken.None));

        // The echo check's lookup by target id: the lowest source id written for it, nothing for an id never written.
        await store.SaveAsync("quickbooks", "Customer", "job-0's-twin", "target-2", CancellationToken.None);
        Assert.Equal("job-0's-twin", await store.FindSourceAsync("quickbooks", "Customer", "target-2", CancellationToken.None));
        Assert.Equal("job-249's", await store.FindSourceAsync("salesforce", "Account", "target-249", CancellationToken.None));
        Assert.Null(await store.FindSourceAsync("quickbooks", "Customer", "target-never", CancellationToken.None));
    }
}
