namespace FieldOps.Connectors.QuickBooks.Tests.Support;

/// <summary>One SQLite file and one Data Protection key folder that several worker hosts share.</summary>
internal sealed class SharedStore : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"fieldops-qbo-shared-{Guid.NewGuid():N}");

    public SharedStore() => Directory.CreateDirectory(KeysDirectory);

    public string DatabasePath => Path.Combine(_directory, "fieldops.db");

    public string KeysDirectory => Path.Combine(_directory, "keys");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
