using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FieldOps.Integration.Testing.Faults;

/// <summary>
/// A real Kestrel OAuth issuer and protected API on 127.0.0.1: <c>POST /oauth/token</c> (refresh-token grant) issues
/// access tokens of a fixed lifetime and rotates refresh tokens strictly — each works once, the next call with it is
/// <c>invalid_grant</c> — unless <c>graceForPrevious</c> honours the token rotated away most recently once more.
/// <c>PUT /api/things/{key}</c> needs a live access token (else 401) and counts writes per key. A test can wait for
/// the moment a token answer has been sent, to kill the client right then.
/// </summary>
public sealed class StrictRotationIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TimeSpan _lifetime;
    private readonly bool _graceForPrevious;
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _accessTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _answered = new();
    private string _current;
    private string? _previous;
    private int _calls;

    private StrictRotationIssuer(string seed, TimeSpan lifetime, bool graceForPrevious)
    {
        _current = seed;
        _lifetime = lifetime;
        _graceForPrevious = graceForPrevious;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/oauth/token", TokenAsync);
        _app.MapPut("/api/things/{key}", Write);
    }

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>Token calls so far (granted or refused).</summary>
    public int TokenCalls => Volatile.Read(ref _calls);

    /// <summary>Granted writes per key.</summary>
    public ConcurrentDictionary<string, int> Writes { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Called with the call number right after a granted token answer was sent and flushed, on the request's thread,
    /// before anything else: a test kills the client here to lose the answer.
    /// </summary>
    public Action<int>? AfterAnswer { get; set; }

    /// <summary>Every refused token call's refresh token, for messages.</summary>
    public ConcurrentQueue<string> Refused { get; } = new();

    public static async Task<StrictRotationIssuer> StartAsync(string seed, TimeSpan lifetime, bool graceForPrevious = false)
    {
        var issuer = new StrictRotationIssuer(seed, lifetime, graceForPrevious);
        await issuer._app.StartAsync().ConfigureAwait(false);
        return issuer;
    }

    /// <summary>Completes when the answer to token call number <paramref name="call"/> (1-based) has been sent.</summary>
    public Task AnsweredAsync(int call) => _answered.GetOrAdd(call, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Makes every access token issued so far invalid: the next API call is a 401, the client refreshes.</summary>
    public void RevokeAccessTokens() => _accessTokens.Clear();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);

    private async Task TokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync().ConfigureAwait(false);
        var presented = form["refresh_token"].ToString();
        var call = Interlocked.Increment(ref _calls);
        context.Response.OnCompleted(() =>
        {
            _answered.GetOrAdd(call, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            return Task.CompletedTask;
        });
        string? access = null, next = null;
        lock (_lock)
        {
            var grace = _graceForPrevious && _previous is not null && presented == _previous;
            if (presented == _current || grace)
            {
                next = "rt-" + Guid.NewGuid().ToString("N");
                access = "at-" + Guid.NewGuid().ToString("N");
                _previous = grace ? null : _current; // the grace is used once
                _current = next;
                _accessTokens[access] = DateTimeOffset.UtcNow + _lifetime;
            }
        }
        context.Response.ContentType = "application/json";
        if (access is null)
        {
            Refused.Enqueue(presented);
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync("""{"error":"invalid_grant","error_description":"refresh token already used"}""").ConfigureAwait(false);
            return;
        }
        await context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            access_token = access, refresh_token = next, token_type = "bearer", expires_in = (int)_lifetime.TotalSeconds,
        })).ConfigureAwait(false);
        await context.Response.CompleteAsync().ConfigureAwait(false);
        AfterAnswer?.Invoke(call);
    }

    private IResult Write(string key, HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : "";
        if (!_accessTokens.TryGetValue(token, out var expires) || expires < DateTimeOffset.UtcNow)
            return Results.Json(new { error = "invalid_token" }, statusCode: 401);
        Writes.AddOrUpdate(key, 1, (_, n) => n + 1);
        return Results.Json(new { id = "T-" + key });
    }
}
