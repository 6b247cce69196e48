using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace FieldOps.LoadDriver;

/// <summary>Posts signed Jobber webhooks (X-Jobber-Hmac-SHA256) at a fixed rate or at full speed, timing each acknowledgement.</summary>
internal sealed class WebhookSender(string url, int senders) : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { MaxConnectionsPerServer = senders, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        BaseAddress = new Uri(url),
        Timeout = TimeSpan.FromSeconds(30),
    };

    private static readonly byte[] Key = Encoding.UTF8.GetBytes(FieldOpsProcess.Secret);

    /// <summary>Sends body <c>i</c> at <c>i / rate</c> seconds after the start (rate 0: as fast as <c>senders</c> workers go).</summary>
    public async Task<SendResult> SendAsync(IReadOnlyList<byte[]> bodies, int rate)
    {
        var result = new SendResult(bodies.Count);
        var start = Stopwatch.GetTimestamp();
        result.Started = start;
        if (rate > 0)
        {
            var pending = new List<Task>(bodies.Count);
            for (var i = 0; i < bodies.Count; i++)
            {
                var due = TimeSpan.FromSeconds((double)i / rate);
                var late = due - Stopwatch.GetElapsedTime(start);
                if (late > TimeSpan.Zero)
                    await Task.Delay(late).ConfigureAwait(false);
                pending.Add(SendOneAsync(bodies, i, result));
            }
            await Task.WhenAll(pending).ConfigureAwait(false);
        }
        else
        {
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, senders).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < bodies.Count)
                    await SendOneAsync(bodies, i, result).ConfigureAwait(false);
            })).ConfigureAwait(false);
        }
        result.Elapsed = Stopwatch.GetElapsedTime(start);
        return result;
    }

    private async Task SendOneAsync(IReadOnlyList<byte[]> bodies, int i, SendResult result)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/jobber") { Content = new ByteArrayContent(bodies[i]) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Jobber-Hmac-SHA256", Convert.ToBase64String(HMACSHA256.HashData(Key, bodies[i])));
        var sent = Stopwatch.GetTimestamp();
        result.SentAt[i] = sent;
        try
        {
            using var response = await _client.SendAsync(request).ConfigureAwait(false);
            await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            result.AckMs[i] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            if (response.StatusCode == HttpStatusCode.Accepted)
                Interlocked.Increment(ref result.Accepted);
            else
                Interlocked.Increment(ref result.Other);
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref result.Other);
        }
        catch (TaskCanceledException)
        {
            Interlocked.Increment(ref result.Other);
        }
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>When each webhook was sent (Stopwatch timestamps), how long its acknowledgement took, and the answers.</summary>
internal sealed class SendResult(int count)
{
    public long[] SentAt { get; } = new long[count];

    public double[] AckMs { get; } = new double[count];

    public long Accepted;

    public long Other;

    public long Started { get; set; }

    public TimeSpan Elapsed { get; set; }

    public double AcceptedPerSecond => Accepted / Elapsed.TotalSeconds;

    public double AckPercentile(double p) => Stats.Percentile(AckMs.Order().ToArray(), p);
}

internal static class Stats
{
    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    public static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
