using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Host.Startup;

/// <summary>Turns a configuration failure into the lines an admin reads: the key and what is wrong.</summary>
internal static class ConfigurationErrors
{
    public static bool TryDescribe(Exception exception, out IReadOnlyList<string> lines)
    {
        switch (exception)
        {
            case OptionsValidationException validation:
                lines = validation.Failures.ToList();
                return true;
            case ConfigurationException configuration:
                lines = [configuration.Message];
                return true;
            case InvalidOperationException { Message: var message } when message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal):
                // The binder names the value, the key and the type, e.g. a word where a TimeSpan or an enum belongs.
                lines = [BinderMessages.Describe(message)];
                return true;
            case AggregateException aggregate when aggregate.InnerExceptions.Count > 0:
                var all = new List<string>();
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (!TryDescribe(inner, out var innerLines))
                    {
                        lines = [];
                        return false;
                    }
                    all.AddRange(innerLines);
                }
                lines = all;
                return true;
            default:
                lines = [];
                return false;
        }
    }
}
