using System.Text;
using FieldOps.Integration.Core.Secrets;

namespace FieldOps.Integration.Host.Cli;

/// <summary>Holds text until a line is complete (a secret may arrive in pieces), then writes it scrubbed.</summary>
internal sealed class ScrubbingTextWriter(TextWriter inner, SecretScrubber scrubber) : TextWriter(inner.FormatProvider)
{
    private readonly StringBuilder _pending = new();
    private readonly Lock _gate = new();

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        lock (_gate)
        {
            _pending.Append(value);
            if (value == '\n')
                WriteCompleteLines();
        }
    }

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return;
        lock (_gate)
        {
            _pending.Append(value);
            if (value.Contains('\n', StringComparison.Ordinal))
                WriteCompleteLines();
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => Write(value + NewLine);

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override void Flush()
    {
        lock (_gate)
        {
            if (_pending.Length > 0)
                inner.Write(scrubber.Scrub(_pending.ToString()));
            _pending.Clear();
        }
        inner.Flush();
    }

    private void WriteCompleteLines()
    {
        var text = _pending.ToString();
        var end = text.LastIndexOf('\n') + 1;
        inner.Write(scrubber.Scrub(text[..end]));
        inner.Flush();
        _pending.Clear().Append(text, end, text.Length - end);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Flush();
        base.Dispose(disposing);
    }
}
