namespace FieldOps.Integration.Host.Cli;

/// <summary>The help of one verb: summary, usage, sub-verbs, arguments, options and examples.</summary>
internal static class CliHelp
{
    public static void Write(TextWriter writer, IReadOnlyList<CliVerb> path)
    {
        var verb = path[^1];
        var command = string.Join(' ', path.Select(v => v.Name));
        writer.WriteLine($"{command}: {verb.Summary}");
        if (verb.Details is not null)
        {
            writer.WriteLine();
            writer.WriteLine(verb.Details);
        }
        writer.WriteLine();
        writer.WriteLine("Usage:");
        writer.WriteLine("  " + verb.Usage);
        Section(writer, "Commands", verb.Verbs.Select(v => (v.Name, v.Summary)));
        Section(writer, "Arguments", verb.Arguments.Select(a => ($"<{a.Name}>", a.Meaning)));
        var options = verb.Options.Where(o => !o.Hidden)
            .Select(o => (o.Value is null ? o.Name : $"{o.Name} <{o.Value}>", o.Meaning))
            .Append(("-h, --help", "show this help and exit"));
        Section(writer, "Options", options);
        if (verb.Examples.Count > 0)
        {
            writer.WriteLine();
            writer.WriteLine(verb.Examples.Count == 1 ? "Example:" : "Examples:");
            foreach (var example in verb.Examples)
                writer.WriteLine("  " + example);
        }
        if (verb.Verbs.Count > 0)
        {
            writer.WriteLine();
            writer.WriteLine($"Run '{command} <command> --help' for a command's options.");
        }
    }

    private static void Section(TextWriter writer, string title, IEnumerable<(string Name, string Meaning)> rows)
    {
        var list = rows.ToList();
        if (list.Count == 0)
            return;
        writer.WriteLine();
        writer.WriteLine(title + ":");
        var width = list.Max(r => r.Name.Length) + 2;
        foreach (var (name, meaning) in list)
            writer.WriteLine("  " + name.PadRight(width) + meaning);
    }
}
