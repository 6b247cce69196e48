using FieldOps.Integration.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Storage;

/// <summary>Checks the <c>Store</c> section, naming the key in every message.</summary>
/// <param name="configuration">The raw configuration, to check enum values as written (the binder may not).</param>
public sealed class StoreOptionsValidator(IConfiguration configuration) : IValidateOptions<StoreOptions>
{
    public ValidateOptionsResult Validate(string? name, StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (configuration["Store:Provider"] is { } provider && !Enum.TryParse<StoreProvider>(provider, ignoreCase: true, out _))
            return ValidateOptionsResult.Fail($"Store:Provider: '{provider}' is not one of Sqlite, Postgres, SqlServer.");
        if (configuration["Store:SqliteSynchronous"] is { } synchronous && !Enum.TryParse<SqliteSynchronous>(synchronous, ignoreCase: true, out _))
            return ValidateOptionsResult.Fail($"Store:SqliteSynchronous: '{synchronous}' is not one of Full, Normal.");
        if (!Enum.IsDefined(options.Provider))
            return ValidateOptionsResult.Fail($"Store:Provider: '{options.Provider}' is not one of Sqlite, Postgres, SqlServer.");
        if (options.Provider != StoreProvider.Sqlite && string.IsNullOrWhiteSpace(options.ConnectionString))
            return ValidateOptionsResult.Fail($"Store:ConnectionString: is required when Store:Provider is {options.Provider}.");
        if (StoreConnectionStringCheck.Problem(options) is { } problem)
            return ValidateOptionsResult.Fail(problem);
        if (options.BusyTimeout < TimeSpan.Zero)
            return ValidateOptionsResult.Fail($"Store:BusyTimeout: '{options.BusyTimeout}' must not be negative.");
        // A writer waits this long for its turn and then for SQLite's lock; a day is far beyond any useful wait.
        if (options.BusyTimeout > TimeSpan.FromDays(1))
            return ValidateOptionsResult.Fail($"Store:BusyTimeout: '{options.BusyTimeout}' is longer than a day (1.00:00:00).");
        if (options.MaxGroupCommit is < 1 or > 10_000)
            return ValidateOptionsResult.Fail($"Store:MaxGroupCommit: {options.MaxGroupCommit} is out of range 1..10000.");
        return ValidateOptionsResult.Success;
    }
}
