using System.Security.Cryptography;
using System.Text;

namespace FieldOps.Integration.Testing.MultiProcess;

/// <summary>
/// Posts Jobber webhooks signed as Jobber signs them (<c>X-Jobber-Hmac-SHA256</c>: base64 HMAC-SHA256 of the body) to
/// <c>/webhooks/{source}</c>, spread round-robin over the workers still running, as a load balancer would: a webhook a
/// worker does not acknowledge (refused, reset, timed out, or not 2xx) goes to the next running worker, up to
/// <see cref="MaxTries"/> times, the way Jobber redelivers. What was acknowledged, and by whom, is in the receipts.
/// </summary>
public sealed class JobberWebhookSender(string secret, int concurrency = 16, string source = "jobber") : IDisposable
{
    /// <summary>The most workers one webhook is offered to.</summary>
    public const int MaxTries = 6;

    private readonly byte[] _key = Encoding.UTF8.GetBytes(secret);
    private readonly HttpClient _client = new(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency })
    {
        Timeout = TimeSpan.FromSeconds(20),
    };
    private long _acknowledged;

    /// <summary>How many webhooks were acknowledged (2xx: 202 stored, 200 a duplicate of one stored) so far, across <see cref="SendAsync"/> calls.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>
    /// Sends every body with <c>concurrency</c> senders; <paramref name="workers"/> is asked for the running workers
    /// before each try, so a worker killed meanwhile gets no more. Returns one receipt per body, in order.
    /// </summary>
    public async Task<IReadOnlyList<WebhookReceipt>> SendAsync(IReadOnlyList<string> bodies, Func<IReadOnlyList<FieldOpsWorker>> workers)
    {
        var receipts = new WebhookReceipt[bodies.Count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Count)
                receipts[i] = await SendOneAsync(i, bodies[i], workers).ConfigureAwait(false);
        })).ConfigureAwait(false);
        return receipts;
    }

    /// <summary>The signature Jobber sends for <paramref name="body"/>.</summary>
    public string Sign(string body) => Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(body)));

    private async Task<WebhookReceipt> SendOneAsync(int index, string body, Func<IReadOnlyList<FieldOpsWorker>> workers)
    {
        var signature = Sign(body);
        var last = "";
        for (var attempt = 0; attempt < MaxTries; attempt++)
        {
            var running = workers().Where(w => !w.HasExited).ToList();
            if (running.Count == 0)
                return new WebhookReceipt(index, null, "no worker running");
            var worker = running[(index + attempt) % running.Count];
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(worker.BaseAddress, $"/webhooks/{source}"))
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Jobber-Hmac-SHA256", signature);
            try
            {
                using var response = await _client.SendAsync(request).ConfigureAwait(false);
                // 202 stored; 200 "duplicate": a worker killed before it answered had stored it already.
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref _acknowledged);
                    return new WebhookReceipt(index, worker.Name, null);
                }
                last = $"{worker.Name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}";
            }
            catch (HttpRequestException e)
            {
                last = $"{worker.Name}: {e.Message}";
            }
            catch (TaskCanceledException)
            {
                last = $"{worker.Name}: timed out";
            }
            await Task.Delay(50 * (attempt + 1)).ConfigureAwait(false);
        }
        return new WebhookReceipt(index, null, last);
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>What became of webhook <paramref name="Index"/>: the worker that acknowledged it, or why none did.</summary>
public sealed record WebhookReceipt(int Index, string? AcknowledgedBy, string? Failure)
{
    /// <summary>True when a worker answered 2xx.</summary>
    public bool Acknowledged => AcknowledgedBy is not null;
}
