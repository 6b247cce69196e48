using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace FieldOps.Integration.Host.Startup;

/// <summary>
/// Kestrel answers some requests itself, before any middleware runs — a request line it cannot parse (400), a
/// target over its limit (414), headers over their limit (431), headers that arrive too slowly (408) — with an empty
/// body, and offers no hook to change that. This connection middleware sees each HTTP/1.x response head as it
/// leaves; an error head with <c>Content-Length: 0</c> (which the pipeline never sends: <see cref="ErrorBodies"/>
/// writes a JSON body for every error) gets the same <c>{error, detail}</c> body as every other answer.
/// </summary>
internal static class KestrelErrorResponses
{
    private static readonly byte[] EmptyBodyHeader = "\r\nContent-Length: 0\r\n"u8.ToArray();
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();

    /// <summary>Adds the rewrite to every endpoint Kestrel listens on.</summary>
    public static void UseFieldOpsErrorBodies(this KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => connection =>
        {
            var transport = connection.Transport;
            connection.Transport = new Duplex(transport.Input, new Writer(transport.Output));
            return next(connection);
        }));
    }

    /// <summary>The rewritten response when <paramref name="written"/> is exactly one empty error response head, else null.</summary>
    public static byte[]? TryRewrite(ReadOnlySpan<byte> written)
    {
        // "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\n...\r\n\r\n"
        if (written.Length < 16 || !written.StartsWith("HTTP/1.1 "u8) || (written[9] != (byte)'4' && written[9] != (byte)'5')
            || !written.EndsWith(HeadEnd) || written.IndexOf(HeadEnd) != written.Length - HeadEnd.Length)
        {
            return null;
        }
        var emptyAt = written.IndexOf(EmptyBodyHeader);
        if (emptyAt < 0 || !int.TryParse(written.Slice(9, 3), out var status))
            return null;
        var body = JsonSerializer.SerializeToUtf8Bytes(ErrorBodies.Create(status, Detail(status)));
        var headers = Encoding.ASCII.GetBytes($"\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {body.Length}\r\n");
        return [.. written[..emptyAt], .. headers, .. written[(emptyAt + EmptyBodyHeader.Length)..], .. body];
    }

    private static string Detail(int status) => status switch
    {
        400 => "The server could not read the request: its request line, headers or framing are malformed.",
        408 => "The request did not arrive in time (Kestrel:Limits:RequestHeadersTimeout, MinRequestBodyDataRate).",
        411 => "The request has a body but neither Content-Length nor Transfer-Encoding.",
        413 => "The request body is larger than the server accepts.",
        414 => "The request target is longer than the server accepts (Kestrel:Limits:MaxRequestLineSize).",
        431 => "The request headers are larger than the server accepts (Kestrel:Limits:MaxRequestHeadersTotalSize, MaxRequestHeaderCount).",
        505 => "Only HTTP/1.x and HTTP/2 are served.",
        _ => "The server refused the request before reading it.",
    };

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>Collects what Kestrel writes until it flushes, then passes it on, rewritten if it is an empty error head.</summary>
    private sealed class Writer(PipeWriter inner) : PipeWriter
    {
        private const int KeptCapacity = 64 * 1024;
        private ArrayBufferWriter<byte> _buffer = new(4096);

        public override void Advance(int bytes) => _buffer.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => _buffer.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => _buffer.GetSpan(sizeHint);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        // System.Text.Json asks how much is unflushed to decide when to flush a large answer.
        public override bool CanGetUnflushedBytes => true;

        public override long UnflushedBytes => _buffer.WrittenCount + (inner.CanGetUnflushedBytes ? inner.UnflushedBytes : 0);

        public override void Complete(Exception? exception = null)
        {
            Drain();
            inner.Complete(exception);
        }

        public override async ValueTask CompleteAsync(Exception? exception = null)
        {
            Drain();
            await inner.CompleteAsync(exception).ConfigureAwait(false);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            Drain();
            return inner.FlushAsync(cancellationToken);
        }

        private void Drain()
        {
            if (_buffer.WrittenCount == 0)
                return;
            var written = _buffer.WrittenSpan;
            inner.Write(TryRewrite(written) ?? written);
            if (_buffer.Capacity > KeptCapacity)
                _buffer = new ArrayBufferWriter<byte>(4096);
            else
                _buffer.ResetWrittenCount();
        }
    }
}
