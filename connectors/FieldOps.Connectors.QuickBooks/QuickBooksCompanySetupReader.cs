using System.Collections.Concurrent;
using FieldOps.Connectors.QuickBooks.Dtos;
using FieldOps.Integration.Core.Connectors;
using Microsoft.Extensions.Options;
using Refit;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>
/// Reads the company's setup from QuickBooks — <c>GET /companyinfo/{realm}</c> and <c>GET /preferences</c> — and keeps
/// it per realm for <see cref="QuickBooksOptions.CompanySetupLifetime"/>, so an invoice costs no extra call in the
/// common case. One read at a time: invoices delivered in parallel wait for the same answer.
/// </summary>
internal sealed class QuickBooksCompanySetupReader(QuickBooksClient client, IOptions<QuickBooksOptions> options, TimeProvider time) : IDisposable
{
    private readonly ConcurrentDictionary<string, QuickBooksCompanySetup> _byRealm = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private static readonly TimeSpan FailureQuiet = TimeSpan.FromMinutes(1);
    private (DateTimeOffset At, string Reason)? _lastFailure;

    /// <summary>The setup read at most <paramref name="maxAge"/> ago (read now if there is none), or the reason it could not be read.</summary>
    public async Task<(QuickBooksCompanySetup? Setup, DeliveryOutcome? Failure)> GetAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        var realm = options.Value.RealmId;
        if (Fresh(realm, maxAge) is { } cached)
            return (cached, null);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh(realm, maxAge) is { } meanwhile)
                return (meanwhile, null);
            var info = await client.ReadAsync("CompanyInfo", realm, cancellationToken).ConfigureAwait(false);
            if (!info.IsSuccess)
                return (null, QuickBooksOutcomes.Classify(info));
            var preferences = await client.PreferencesAsync(cancellationToken).ConfigureAwait(false);
            if (!preferences.IsSuccess)
                return (null, QuickBooksOutcomes.Classify(preferences));
            var setup = QuickBooksCompanySetup.From(realm, info.Entity<QuickBooksCompanyInfo>("CompanyInfo"),
                preferences.Entity<QuickBooksPreferences>("Preferences"), time.GetUtcNow());
            _byRealm[realm] = setup;
            return (setup, null);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// For readiness and <c>fieldops connectors check</c>: the setup, or why it could not be read, within
    /// <paramref name="budget"/>; after a failure QuickBooks is not asked again for a minute (probes come often).
    /// </summary>
    public async Task<(QuickBooksCompanySetup? Setup, string? Problem)> TryGetAsync(TimeSpan maxAge, TimeSpan budget, CancellationToken cancellationToken)
    {
        var realm = options.Value.RealmId;
        if (Fresh(realm, maxAge) is { } cached)
            return (cached, null);
        if (_lastFailure is { } last && time.GetUtcNow() - last.At < FailureQuiet)
            return (null, last.Reason);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(budget);
        string reason;
        try
        {
            var (setup, failure) = await GetAsync(maxAge, bounded.Token).ConfigureAwait(false);
            if (setup is not null)
            {
                _lastFailure = null;
                return (setup, null);
            }
            reason = failure?.Message ?? "no answer";
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or TimeoutException or InvalidOperationException or ApiRequestException
                                      or FieldOps.Integration.Core.Credentials.ConnectionBrokenException)
        {
            if (cancellationToken.IsCancellationRequested)
                throw;
            reason = e is OperationCanceledException or ApiRequestException { InnerException: OperationCanceledException }
                ? $"QuickBooks did not answer within {budget.TotalSeconds:0} s"
                : e.Message;
        }
        _lastFailure = (time.GetUtcNow(), reason);
        return (null, reason);
    }

    private QuickBooksCompanySetup? Fresh(string realm, TimeSpan maxAge) =>
        _byRealm.TryGetValue(realm, out var setup) && time.GetUtcNow() - setup.ReadAt < maxAge ? setup : null;

    public void Dispose() => _gate.Dispose();
}
