using System.Text.Json;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Text;
using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.BambooHR;

/// <summary>
/// Technician → BambooHR employee id: the configured table (<c>Connectors:BambooHR:Employees:{technicianId}</c>) first,
/// else the technician's work email in the employee directory (or, when the directory is not shared with the API
/// user, the user list of <c>/meta/users</c>), read once per
/// <see cref="BambooHROptions.EmployeeCacheDuration"/> (and again at most once a minute when an email is missing).
/// </summary>
internal sealed class BambooHREmployeeResolver(BambooHRClient client, IOptions<BambooHROptions> options, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan MissRefreshInterval = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<string, string> _byEmail = new(StringComparer.OrdinalIgnoreCase);
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public void Dispose() => _gate.Dispose();

    /// <summary>The employee id, or the outcome explaining why there is none.</summary>
    public async Task<(string? EmployeeId, DeliveryOutcome? Failure)> ResolveAsync(string? technicianId, string? email, CancellationToken cancellationToken)
    {
        if (technicianId is not null && options.Value.Employees.TryGetValue(technicianId, out var mapped) && !string.IsNullOrWhiteSpace(mapped))
            return (mapped, null);
        if (!string.IsNullOrWhiteSpace(email))
        {
            if (Find(email) is { } cached && Age < options.Value.EmployeeCacheDuration)
                return (cached, null);
            var refreshDue = Age >= options.Value.EmployeeCacheDuration || Age >= MissRefreshInterval;
            if (refreshDue && await RefreshAsync(cancellationToken).ConfigureAwait(false) is { } failure)
                return (null, failure);
            if (Find(email) is { } found)
                return (found, null);
        }
        return (null, DeliveryOutcome.Permanent(
            $"no BambooHR employee matches technician {technicianId ?? "(no id)"} (email {email ?? "none"}): " +
            $"map it with Connectors:BambooHR:Employees:{technicianId ?? "<technicianId>"} or set the work email in BambooHR.",
            ["technician"]));
    }

    private TimeSpan Age => time.GetUtcNow() - _readAt;

    private string? Find(string email) => _byEmail.TryGetValue(email.Trim(), out var id) ? id : null;

    private async Task<DeliveryOutcome?> RefreshAsync(CancellationToken cancellationToken)
    {
        var readBefore = _readAt;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_readAt != readBefore)
                return null; // another caller read the directory while we waited
            var directory = await client.GetDirectoryAsync(cancellationToken).ConfigureAwait(false);
            if (directory.IsSuccess)
            {
                _byEmail = ReadDirectory(directory.Text);
            }
            else if (directory.Status is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.NotFound)
            {
                // The directory is not shared with the API user (403) or empty (404): the user list carries work emails too.
                var users = await client.GetUsersAsync(cancellationToken).ConfigureAwait(false);
                if (!users.IsSuccess)
                    return BambooHROutcomes.Classify(users, options.Value.AuthMode);
                _byEmail = ReadUsers(users.Text);
            }
            else
            {
                return BambooHROutcomes.Classify(directory, options.Value.AuthMode);
            }
            _readAt = time.GetUtcNow();
            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary><c>/meta/users</c>: an object keyed by user id; <c>employeeId</c> 0 means a user without an employee record.</summary>
    private static Dictionary<string, string> ReadUsers(string json)
    {
        var byEmail = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        // One name or email in the company holding half a surrogate pair must not make every lookup throw: read as U+FFFD.
        using var document = JsonDocument.Parse(JsonSurrogates.Mend(json));
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            return byEmail;
        foreach (var user in document.RootElement.EnumerateObject().Select(p => p.Value))
        {
            if (user.ValueKind == JsonValueKind.Object && user.TryGetProperty("employeeId", out var id) && id.TryGetInt64(out var employeeId)
                && employeeId > 0 && user.TryGetProperty("email", out var email) && email.GetString() is { Length: > 0 } address)
                byEmail.TryAdd(address.Trim(), employeeId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return byEmail;
    }

    private static Dictionary<string, string> ReadDirectory(string json)
    {
        var byEmail = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        using var document = JsonDocument.Parse(JsonSurrogates.Mend(json));
        if (!document.RootElement.TryGetProperty("employees", out var employees) || employees.ValueKind != JsonValueKind.Array)
            return byEmail;
        foreach (var employee in employees.EnumerateArray())
        {
            if (employee.TryGetProperty("workEmail", out var email) && email.ValueKind == JsonValueKind.String
                && employee.TryGetProperty("id", out var id) && email.GetString() is { Length: > 0 } address)
                byEmail.TryAdd(address.Trim(), id.ValueKind == JsonValueKind.String ? id.GetString()! : id.GetRawText());
        }
        return byEmail;
    }
}
