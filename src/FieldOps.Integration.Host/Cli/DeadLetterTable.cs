using System.Globalization;
using FieldOps.Integration.Core.Operations;
using FieldOps.Integration.Core.Text;

namespace FieldOps.Integration.Host.Cli;

/// <summary>Dead letters and groups as plain text tables for a terminal.</summary>
internal static class DeadLetterTable
{
    public static void WriteList(IReadOnlyList<DeadLetter> items)
    {
        if (items.Count == 0)
        {
            Console.Out.WriteLine("no dead letters match");
            return;
        }
        Console.Out.WriteLine($"{"id",-32}  {"event",7}  {"connector",-11} {"flow",-28} {"class",-15} {"dead at (UTC)",-19}  reason");
        foreach (var d in items)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{d.Id,-32}  {d.InboxEventId,7}  {d.Connector,-11} {d.Flow + "/" + d.OperationKey,-28} {d.ErrorClass,-15} {d.DeadAt?.UtcDateTime:yyyy-MM-dd HH:mm:ss}  {Cut(d.Reason)}"));
        }
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{items.Count} shown; next page: --before {items[^1].Seq}"));
    }

    public static void WriteGroups(IReadOnlyList<DeadLetterGroup> groups)
    {
        if (groups.Count == 0)
        {
            Console.Out.WriteLine("no dead letters match");
            return;
        }
        Console.Out.WriteLine($"{"count",7}  {"connector",-11} {"flow",-28} {"class",-15} {"first (UTC)",-19}  {"last (UTC)",-19}");
        foreach (var g in groups)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{g.Count,7}  {g.Connector,-11} {g.Flow,-28} {g.ErrorClass,-15} {g.FirstAt?.UtcDateTime:yyyy-MM-dd HH:mm:ss}  {g.LastAt?.UtcDateTime:yyyy-MM-dd HH:mm:ss}"));
        }
    }

    private static string Cut(string? text) => TextCut.Excerpt(text, 120) ?? "";
}
