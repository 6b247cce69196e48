using FieldOps.Integration.Testing.MultiProcess;

namespace FieldOps.Integration.Cluster.Tests;

/// <summary>
/// A test that needs PostgreSQL: skipped, naming the variable, when <c>FIELDOPS_TEST_POSTGRES</c> is not set — except in
/// CI (<c>CI=true</c>), where <c>.ci/run</c> starts a server and a missing one must fail, not pass unseen.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (ScratchPostgresDatabase.AdminConnectionString is null && !inCi)
            Skip = $"PostgreSQL is not configured: set {ScratchPostgresDatabase.EnvironmentVariable} to a connection string.";
    }
}
