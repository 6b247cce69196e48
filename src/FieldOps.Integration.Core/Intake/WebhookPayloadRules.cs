using System.Text.Json;
using FieldOps.Integration.Core.Text;

namespace FieldOps.Integration.Core.Intake;

/// <summary>
/// What the router's parser or a store would refuse later, refused at the door (400) instead: an object with the same
/// member twice (which value counts would differ between dedup and routing), a string that is not valid Unicode (a lone
/// surrogate such as <c>\ud800</c>), and a string or key holding a NUL character (<c>\u0000</c>), which PostgreSQL's
/// text cannot hold: in a dedup key it failed the event's every commit (503 for ever); anywhere else a mapping can copy
/// it into a key or id the router writes as text, failing its commit at every try. The router parks such an event from
/// a source's API (<c>StorableText</c>); a webhook's sender hears it at once.
/// </summary>
internal static class WebhookPayloadRules
{
    public static void Check(JsonElement element, string path = "")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var name = Text(() => property.Name, path);
                    if (!names.Add(name))
                        throw new WebhookRejectedException(400, "duplicate JSON key", $"The key '{Short(name)}' appears twice in the object at '{Short(path)}/'.");
                    Check(property.Value, $"{path}/{name}");
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                    Check(item, $"{path}/{index++}");
                break;
            case JsonValueKind.String:
                Text(element.GetString, path);
                break;
        }
    }

    private static string Text(Func<string?> read, string path)
    {
        string text;
        try
        {
            text = read() ?? "";
        }
        catch (InvalidOperationException)
        {
            throw new WebhookRejectedException(400, "invalid text", $"The string at '{Short(path)}' is not valid Unicode (a lone surrogate or invalid UTF-8).");
        }
        return StorableText.Unfit(text)
            ? throw new WebhookRejectedException(400, "invalid text", $"The string at '{Short(path)}' holds {StorableText.What(text)}, which the store cannot keep as text.")
            : text;
    }

    private static string Short(string text) => TextCut.Excerpt(text, 80);
}
