using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FieldOps.Integration.Testing.Faults;

/// <summary>
/// A real Kestrel server in front of a (WireMock) target that passes every request on, and for the first
/// <c>times</c> requests with a given method and path drops the connection after the target has answered — the
/// write is committed there, the client never hears of it. The lost-answer fault of a vendor API, on a real socket.
/// Started with <see cref="StartLateAsync"/> it holds the answer instead and gives it only after a delay longer than
/// the client's timeout (a vendor that commits, then answers too late). <see cref="FailAfterDrop"/> also makes the
/// next request(s) of another method and path fail once an answer was lost (the effect check's own call failing).
/// </summary>
public sealed class CommitThenAbortFront : IAsyncDisposable
{
    private static readonly HashSet<string> s_hopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Transfer-Encoding", "Keep-Alive", "Content-Length", "Expect",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _client = new(new SocketsHttpHandler { AllowAutoRedirect = false }, disposeHandler: true);
    private readonly string _target;
    private readonly string _method;
    private readonly string _path;
    private readonly TimeSpan? _answerAfter;
    private int _remaining;
    private int _aborted;
    private (string Method, string Path, int Status)? _failAfterDrop;
    private int _failuresLeft;
    private int _failed;

    private CommitThenAbortFront(string target, string method, string path, int times, TimeSpan? answerAfter)
    {
        _answerAfter = answerAfter;
        _target = target.TrimEnd('/');
        _method = method;
        _path = path;
        _remaining = times;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(ForwardAsync);
    }

    /// <summary>The front's base URL: configure the connector with it instead of the target's.</summary>
    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>How many answers were dropped (or held past the client's timeout) so far.</summary>
    public int Aborted => Volatile.Read(ref _aborted);

    /// <summary>How many requests <see cref="FailAfterDrop"/> failed so far.</summary>
    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Starts a front for <paramref name="target"/> that drops the answer of the first <paramref name="times"/> matching requests.</summary>
    public static Task<CommitThenAbortFront> StartAsync(string target, string method, string path, int times = 1) =>
        StartAsync(new CommitThenAbortFront(target, method, path, times, answerAfter: null));

    /// <summary>
    /// Starts a front for <paramref name="target"/> that lets the first <paramref name="times"/> matching requests reach
    /// the target (the write is committed) and gives their answers only after <paramref name="answerAfter"/>: set it
    /// longer than the client's timeout, and the client gives up before the answer comes.
    /// </summary>
    public static Task<CommitThenAbortFront> StartLateAsync(string target, string method, string path, TimeSpan answerAfter, int times = 1) =>
        StartAsync(new CommitThenAbortFront(target, method, path, times, answerAfter));

    private static async Task<CommitThenAbortFront> StartAsync(CommitThenAbortFront front)
    {
        await front._app.StartAsync().ConfigureAwait(false);
        return front;
    }

    /// <summary>
    /// Once an answer was dropped, the next <paramref name="times"/> requests with <paramref name="method"/> and
    /// <paramref name="path"/> get <paramref name="status"/> without reaching the target (e.g. the effect check's read).
    /// </summary>
    public void FailAfterDrop(string method, string path, int status, int times = 1)
    {
        _failAfterDrop = (method, path, status);
        Volatile.Write(ref _failuresLeft, times);
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var request = context.Request;
        if (_failAfterDrop is { } fail && Aborted > 0 && Matches(request, fail.Method, fail.Path) && Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            Interlocked.Increment(ref _failed);
            context.Response.StatusCode = fail.Status;
            return;
        }
        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), _target + request.Path + request.QueryString);
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        if (body.Length > 0 || request.ContentLength is not null)
            forward.Content = new ByteArrayContent(body.ToArray());
        foreach (var (name, values) in request.Headers)
        {
            if (s_hopHeaders.Contains(name))
                continue;
            if (!forward.Headers.TryAddWithoutValidation(name, values.ToArray()))
                forward.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
        }
        using var answer = await _client.SendAsync(forward, context.RequestAborted).ConfigureAwait(false);
        var bytes = await answer.Content.ReadAsByteArrayAsync(context.RequestAborted).ConfigureAwait(false);
        if (Matches(request, _method, _path) && Interlocked.Decrement(ref _remaining) >= 0)
        {
            Interlocked.Increment(ref _aborted);
            if (_answerAfter is not { } delay)
            {
                context.Abort(); // the target committed the write; the client sees the connection die
                return;
            }
            // The target committed the write; its answer comes after the client stopped waiting.
            await Task.Delay(delay, CancellationToken.None).ConfigureAwait(false);
            try
            {
                await AnswerAsync(context, answer, bytes).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
            {
                // The client has gone, as intended.
            }
            return;
        }
        await AnswerAsync(context, answer, bytes).ConfigureAwait(false);
    }

    private static bool Matches(HttpRequest request, string method, string path) =>
        string.Equals(request.Method, method, StringComparison.OrdinalIgnoreCase) && string.Equals(request.Path.Value, path, StringComparison.Ordinal);

    private static async Task AnswerAsync(HttpContext context, HttpResponseMessage answer, byte[] bytes)
    {
        context.Response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
        {
            if (!s_hopHeaders.Contains(name))
                context.Response.Headers[name] = values.ToArray();
        }
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _client.Dispose();
    }
}
