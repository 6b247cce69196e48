using FieldOps.Integration.Core.Secrets;

namespace FieldOps.Integration.Host.Logging;

/// <summary>
/// Stands in for a logged exception: its text (type, message, inner exceptions, stack trace) with secrets removed.
/// Log formatters render exceptions through <see cref="ToString"/>, which returns exactly that text.
/// </summary>
internal sealed class ScrubbedException : Exception
{
    private readonly string _text;

    private ScrubbedException(string message, string text) : base(message) => _text = text;

    public ScrubbedException() : this("", "") { }

    public ScrubbedException(string message) : this(message, message) { }

    public ScrubbedException(string message, Exception innerException) : base(message, innerException) => _text = message;

    public static Exception From(Exception exception, SecretScrubber scrubber)
    {
        var text = exception.ToString();
        var scrubbed = scrubber.Scrub(text);
        return text == scrubbed ? exception : new ScrubbedException(scrubber.Scrub(exception.Message), scrubbed);
    }

    public override string ToString() => _text;
}
