using System.Text.RegularExpressions;

namespace FieldOps.Integration.Host.Startup;

/// <summary>
/// Rewrites the configuration binder's "Failed to convert configuration value 'x' at 'Key' to type 'T'" into our
/// one-line form: the key first, the value, and what would be valid (an enum's names, a TimeSpan's shape).
/// </summary>
internal static partial class BinderMessages
{
    public static string Describe(string message)
    {
        var match = Conversion().Match(message);
        if (!match.Success)
            return message;
        var (value, key, typeName) = (match.Groups["value"].Value, match.Groups["key"].Value, match.Groups["type"].Value);
        var type = Type.GetType(typeName) ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName)).FirstOrDefault(t => t is not null);
        var underlying = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        var expected = underlying switch
        {
            { IsEnum: true } => $"one of {string.Join(", ", Enum.GetNames(underlying))}",
            _ when underlying == typeof(TimeSpan) => "a duration such as 00:00:30 (hh:mm:ss)",
            _ when underlying == typeof(bool) => "one of true, false",
            _ when underlying == typeof(int) || underlying == typeof(long) => "a whole number",
            _ when underlying == typeof(double) || underlying == typeof(decimal) => "a number",
            _ when underlying == typeof(Uri) => "a URL",
            _ => $"a {underlying?.Name ?? typeName}",
        };
        return $"{key}: '{value}' is not {expected}.";
    }

    [GeneratedRegex("^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']*)' to type '(?<type>[^']*)'", RegexOptions.Singleline)]
    private static partial Regex Conversion();
}
