using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using FieldOps.Integration.Host.Tests.Infrastructure;

namespace FieldOps.Integration.Host.Tests.Intake;

/// <summary>The answers Kestrel gives before any middleware runs carry the {error, detail} body too (real process, raw TCP).</summary>
public sealed class KestrelAnswerTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _directory = new();
    private FieldOpsProcess? _process;

    public async Task InitializeAsync()
    {
        _process = FieldOpsProcess.Start(_directory.Path, new Dictionary<string, string>
        {
            ["Store__ConnectionString"] = $"Data Source={_directory.DatabasePath}",
            ["Kestrel__Limits__RequestHeadersTimeout"] = "00:00:02",
        });
        await _process.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
    }

    public static TheoryData<string, string, int, string> Requests => new()
    {
        { "headers over the limit", "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + new string('a', 40_000) + "\r\n\r\n", 431, "request header fields too large" },
        { "request target over the limit", "GET /" + new string('a', 10_000) + " HTTP/1.1\r\nHost: a\r\n\r\n", 414, "uri too long" },
        { "malformed request line", "GARBAGE\r\n\r\n", 400, "bad request" },
        { "headers too slow", "GET /health/live HTTP/1.1\r\nHo", 408, "request timeout" },
        { "wrong method", "GET /webhooks/jobber HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", 405, "method not allowed" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task RawRequest_KestrelRefuses_AnswersWithTheJsonErrorBody(string name, string request, int status, string error)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _process!.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var received = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(buffer, cts.Token)) > 0)
            received.Write(buffer, 0, read);
        var text = Encoding.UTF8.GetString(received.ToArray());
        Assert.StartsWith($"HTTP/1.1 {status} ", text, StringComparison.Ordinal);
        var body = text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        if (text.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
            body = body[(body.IndexOf("\r\n", StringComparison.Ordinal) + 2)..body.LastIndexOf('}')] + "}";
        using var json = JsonDocument.Parse(body);
        Assert.Equal(error, json.RootElement.GetProperty("error").GetString());
        Assert.True(json.RootElement.GetProperty("detail").GetString()!.Length is > 0 and <= 300, name);
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
            await _process.DisposeAsync();
        Dispose();
    }

    public void Dispose() => _directory.Dispose();
}
