namespace FieldOps.Integration.Storage.Tests.Infrastructure;

/// <summary>
/// A test that needs SQL Server: skipped, naming the variable, unless <c>FIELDOPS_TEST_SQLSERVER</c> holds a connection
/// string (with the right to create databases). SQL Server cannot run on the project's machines or in its CI, so there
/// these tests are reported as skipped — never as passed.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SqlServerFactAttribute : FactAttribute
{
    public SqlServerFactAttribute()
    {
        if (SqlServerTestDatabase.AdminConnectionString is null)
            Skip = $"SQL Server is not configured: set {SqlServerTestDatabase.EnvironmentVariable} to a connection string.";
    }
}
