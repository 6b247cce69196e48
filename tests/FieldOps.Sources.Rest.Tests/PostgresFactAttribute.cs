namespace FieldOps.Sources.Rest.Tests;

/// <summary>A test that needs PostgreSQL: skipped, naming the variable, when <c>FIELDOPS_TEST_POSTGRES</c> is not set (except in CI, where it must run).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (Environment.GetEnvironmentVariable(RestTestHost.PostgresVariable) is null && !inCi)
            Skip = $"PostgreSQL is not configured: set {RestTestHost.PostgresVariable} to a connection string.";
    }
}
