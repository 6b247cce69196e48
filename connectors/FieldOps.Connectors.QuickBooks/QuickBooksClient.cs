using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>The QuickBooks calls with the company and minor version filled in, each read into a <see cref="QuickBooksReply"/>.</summary>
internal sealed class QuickBooksClient(IServiceProvider services, IOptions<QuickBooksOptions> options)
{
    // Typed Refit clients are transient: resolving one per call lets the HttpClientFactory rotate its handlers.
    private IQuickBooksApi Api => services.GetRequiredService<IQuickBooksApi>();

    private IQuickBooksSendApi SendApi => services.GetRequiredService<IQuickBooksSendApi>();

    private string Realm => options.Value.RealmId;

    private int MinorVersion => options.Value.MinorVersion;

    public async Task<QuickBooksReply> QueryAsync(string query, CancellationToken cancellationToken) =>
        await QuickBooksReply.ReadAsync(
            await Api.QueryAsync(Realm, query, MinorVersion, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<QuickBooksReply> ReadAsync(string objectType, string id, CancellationToken cancellationToken) =>
        await QuickBooksReply.ReadAsync(
            await Api.ReadAsync(Realm, PathOf(objectType), id, MinorVersion, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<QuickBooksReply> PreferencesAsync(CancellationToken cancellationToken) =>
        await QuickBooksReply.ReadAsync(
            await Api.PreferencesAsync(Realm, MinorVersion, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<QuickBooksReply> WriteAsync(string objectType, string requestId, JsonObject body, CancellationToken cancellationToken) =>
        await QuickBooksReply.ReadAsync(
            await Api.WriteAsync(Realm, PathOf(objectType), requestId, MinorVersion, body, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<QuickBooksReply> SendInvoiceAsync(string id, string? sendTo, CancellationToken cancellationToken)
    {
        using var empty = new ByteArrayContent([]);
        empty.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var response = await SendApi.SendInvoiceAsync(Realm, id, sendTo, MinorVersion, empty, cancellationToken).ConfigureAwait(false);
        return await QuickBooksReply.ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A string literal for QuickBooks' query language: single-quoted, with quotes and backslashes escaped.</summary>
    public static string Quote(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    private static string PathOf(string objectType) => objectType.ToLowerInvariant();
}
