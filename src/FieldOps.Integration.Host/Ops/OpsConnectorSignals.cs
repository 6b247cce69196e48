using System.Globalization;
using FieldOps.Connectors.HubSpot;
using FieldOps.Connectors.Salesforce;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Dispatch;
using FieldOps.Integration.Core.Operations;
using static FieldOps.Integration.Host.Ops.OpsHtml;

namespace FieldOps.Integration.Host.Ops;

/// <summary>
/// A connector's rate-limit headroom and token state as the overview shows them: what the vendor's last answer said
/// (HubSpot's <c>X-HubSpot-RateLimit-*</c>, Salesforce's <c>Sforce-Limit-Info</c>), what this process's limiter has left,
/// a throttle pause the target asked for; and the state of each stored token of the connector's connections.
/// </summary>
internal static class OpsConnectorSignals
{
    /// <summary>A token this close to its expiry (or past it) is "expiring": the next call refreshes it first.</summary>
    public static readonly TimeSpan ExpiringWithin = TimeSpan.FromMinutes(10);

    public static string Headroom(string connector, LimiterHeadroom? limiter, IServiceProvider services, DateTimeOffset now)
    {
        var parts = new List<string>();
        if (connector == "hubspot" && services.GetService<HubSpotRateLimits>() is { Remaining: { } left, Max: { } max } hubspot)
        {
            var daily = hubspot is { DailyRemaining: { } dayLeft, Daily: { } day } ? $", {N(dayLeft)} of {N(day)} today" : "";
            parts.Add($"HubSpot says {N(left)} of {N(max)} left per {Span(hubspot.Interval)}{daily}");
        }
        if (connector == "salesforce" && services.GetService<SalesforceApiUsage>() is { Remaining: { } sfLeft, Limit: { } sfLimit })
            parts.Add($"Salesforce says {N(sfLeft)} of {N(sfLimit)} left per 24 h");
        if (limiter?.PausedUntil is { } paused)
            parts.Add($"paused by the target's throttle answer until {Time(paused)}");
        if (limiter is { Available: { } available, PermitLimit: { } permits })
            parts.Add($"our limiter: {N(available)} of {N(permits)} left per {Span(limiter.Window)}");
        if (parts.Count > 0)
            return E(string.Join("; ", parts));
        return limiter is null
            ? "unknown (not running here)"
            : "unknown (no fixed limit and no limit header from the target yet)";
    }

    public static string Tokens(string connector, IReadOnlyList<TokenState> tokens, ConnectionStatus connections, DateTimeOffset now)
    {
        var mine = tokens.Where(t => Belongs(t.Connection, connector)).ToList();
        var broken = connections.Broken.Where(b => Belongs(b.Key, connector) && mine.All(t => t.Connection != b.Key)).ToList();
        if (mine.Count == 0 && broken.Count == 0)
            return "no stored token";
        return string.Join("<br>", mine.Select(t => $"{E(t.Connection)}: {State(t, connections, now)}")
            .Concat(broken.Select(b => $"{E(b.Key)}: <span class=\"err\">broken: {E(b.Value)}</span>")));
    }

    /// <summary>Whether a connection name (<c>quickbooks:default</c>) is one of <paramref name="connector"/>'s.</summary>
    public static bool Belongs(string connection, string connector) =>
        connection.Equals(connector, StringComparison.OrdinalIgnoreCase) || connection.StartsWith(connector + ":", StringComparison.OrdinalIgnoreCase);

    /// <summary>The connector a connection name belongs to.</summary>
    public static string ConnectorOf(string connection) => connection.Split(':', 2)[0];

    /// <summary>connected, expiring (or expired: refreshed on next use) or broken with the reason.</summary>
    public static string State(TokenState token, ConnectionStatus connections, DateTimeOffset now)
    {
        var reason = token.BrokenReason ?? connections.Broken.GetValueOrDefault(token.Connection);
        if (reason is not null)
            return $"<span class=\"err\">broken: {E(reason)}</span>";
        return token.ExpiresAt switch
        {
            null => "<span class=\"ok\">connected</span> (no expiry)",
            { } at when at <= now => $"expiring: expired at {Time(at)}, refreshed on next use",
            { } at when at - now <= ExpiringWithin => $"expiring in {Age(at - now)}",
            { } at => $"<span class=\"ok\">connected</span> until {Time(at)}",
        };
    }

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Span(TimeSpan? span) => span switch
    {
        null => "?",
        { TotalHours: >= 1 } s when s.TotalHours % 1 == 0 => $"{N((long)s.TotalHours)} h",
        { TotalMinutes: >= 1 } s when s.TotalMinutes % 1 == 0 => $"{N((long)s.TotalMinutes)} min",
        { } s => $"{s.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s",
    };
}
