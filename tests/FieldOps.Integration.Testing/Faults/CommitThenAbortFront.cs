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
    private int _remaining;
    private int _aborted;

    private CommitThenAbortFront(string target, string method, string path, int times)
    {
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

    /// <summary>How many answers were dropped so far.</summary>
    public int Aborted => Volatile.Read(ref _aborted);

    /// <summary>Starts a front for <paramref name="target"/> that drops the answer of the first <paramref name="times"/> matching requests.</summary>
    public static async Task<CommitThenAbortFront> StartAsync(string target, string method, string path, int times = 1)
    {
        var front = new CommitThenAbortFront(target, method, path, times);
        await front._app.StartAsync().ConfigureAwait(false);
        return front;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var request = context.Request;
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
        if (string.Equals(request.Method, _method, StringComparison.OrdinalIgnoreCase)
            && string.Equals(request.Path.Value, _path, StringComparison.Ordinal)
            && Interlocked.Decrement(ref _remaining) >= 0)
        {
            Interlocked.Increment(ref _aborted);
            context.Abort(); // the target committed the write; the client sees the connection die
            return;
        }
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
