using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using FieldOps.Integration.Host.Tests.Infrastructure;

namespace FieldOps.Integration.Host.Tests.Faults;

/// <summary>
/// A steady stream of signed Jobber webhooks to a real <c>fieldops</c> process, each body unique, every answer kept
/// (status, the event id of a 2xx, whether a 503 carried Retry-After) so a fault test can check what was acknowledged.
/// </summary>
internal sealed class WebhookStream : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _sent;

    /// <summary>Signed Jobber webhooks whose item ids are <paramref name="prefix"/>-1, -2, …</summary>
    public WebhookStream(Uri baseAddress, TimeSpan interval, string prefix)
        : this(baseAddress, interval, n => Jobber(prefix, n))
    {
    }

    /// <summary>The requests <paramref name="request"/> makes for 1, 2, … (path and body).</summary>
    public WebhookStream(Uri baseAddress, TimeSpan interval, Func<int, (HttpRequestMessage Request, string Body)> request)
    {
        _client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        _loop = RunAsync(interval, request);
    }

    public ConcurrentQueue<Answer> Answers { get; } = new();

    public IReadOnlyList<Answer> Acknowledged => Answers.Where(a => (int)a.Status is >= 200 and < 300).ToList();

    /// <summary>Waits until at least <paramref name="count"/> answers more than now have come back.</summary>
    public async Task WaitForAnswersAsync(int count, TimeSpan timeout)
    {
        var target = Answers.Count + count;
        var deadline = DateTime.UtcNow + timeout;
        while (Answers.Count < target && DateTime.UtcNow < deadline)
            await Task.Delay(20);
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
            await StopAsync();
        _client.Dispose();
        _stop.Dispose();
    }

    private static (HttpRequestMessage, string) Jobber(string prefix, int n)
    {
        var body = "{\"data\":{\"webHookEvent\":{\"topic\":\"JOB_CLOSED\",\"appId\":\"app\",\"accountId\":\"acc\",\"itemId\":\"" + prefix + "-" + n +
                   "\",\"occurredAt\":\"2025-03-14T12:22:05-06:00\"}}}";
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/jobber") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Jobber-Hmac-SHA256", Signing.JobberSignature(body));
        return (request, body);
    }

    private async Task RunAsync(TimeSpan interval, Func<int, (HttpRequestMessage Request, string Body)> next)
    {
        while (!_stop.IsCancellationRequested)
        {
            var (request, body) = next(Interlocked.Increment(ref _sent));
            using var owned = request;
            var started = DateTime.UtcNow;
            try
            {
                using var response = await _client.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                long? id = null;
                if (response.IsSuccessStatusCode && JsonDocument.Parse(text).RootElement.TryGetProperty("eventId", out var e))
                    id = e.GetInt64();
                Answers.Enqueue(new Answer(body, response.StatusCode, id, response.Headers.RetryAfter is not null, started));
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // No answer (the process is gone or slow): never counted as acknowledged.
                Answers.Enqueue(new Answer(body, 0, null, false, started));
            }
            try
            {
                await Task.Delay(interval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public sealed record Answer(string Body, HttpStatusCode Status, long? EventId, bool RetryAfter, DateTime SentAt);
}
