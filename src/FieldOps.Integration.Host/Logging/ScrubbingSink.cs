using FieldOps.Integration.Core.Secrets;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace FieldOps.Integration.Host.Logging;

/// <summary>
/// Sits in front of every log sink and passes on a copy of each event with secrets removed from its message
/// template, every property value (nested ones too) and the exception text.
/// </summary>
internal sealed class ScrubbingSink(ILogEventSink inner, SecretScrubber scrubber) : ILogEventSink, IDisposable
{
    private static readonly MessageTemplateParser Parser = new();

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        var text = logEvent.MessageTemplate.Text;
        var scrubbedText = scrubber.Scrub(text);
        var template = ReferenceEquals(text, scrubbedText) || text == scrubbedText ? logEvent.MessageTemplate : Parser.Parse(scrubbedText);
        var exception = logEvent.Exception is { } ex ? ScrubbedException.From(ex, scrubber) : null;
        var properties = logEvent.Properties.Select(p => new LogEventProperty(p.Key, Scrub(p.Value))).ToList();
        inner.Emit(new LogEvent(logEvent.Timestamp, logEvent.Level, exception, template, properties,
            logEvent.TraceId ?? default, logEvent.SpanId ?? default));
    }

    private LogEventPropertyValue Scrub(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string s } => new ScalarValue(scrubber.Scrub(s)),
        ScalarValue { Value: Uri u } => new ScalarValue(scrubber.Scrub(u.OriginalString)),
        ScalarValue scalar => scalar,
        SequenceValue sequence => new SequenceValue(sequence.Elements.Select(Scrub)),
        StructureValue structure => new StructureValue(structure.Properties.Select(p => new LogEventProperty(p.Name, Scrub(p.Value))), structure.TypeTag),
        DictionaryValue dictionary => new DictionaryValue(dictionary.Elements.Select(
            pair => new KeyValuePair<ScalarValue, LogEventPropertyValue>((ScalarValue)Scrub(pair.Key), Scrub(pair.Value)))),
        _ => value,
    };

    public void Dispose() => (inner as IDisposable)?.Dispose();
}
