using System.Globalization;

namespace FieldOps.Jsonata.Conformance;

/// <summary>
/// Runs the conformance suite as a program and prints a per-group table.
/// Usage: <c>dotnet run --project tests/FieldOps.Jsonata.Conformance -- [suite-dir] [--failures] [--decimal] [--write-lists]</c>.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var dir = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? SuiteLocator.Locate();
        var showFailures = args.Contains("--failures");
        var decimalPass = args.Contains("--decimal");
        var writeLists = args.Contains("--write-lists");
        var group = args.SkipWhile(a => a != "--group").Skip(1).FirstOrDefault();
        if (!SuiteLocator.Exists(dir))
        {
            Console.Error.WriteLine($"JSONata conformance suite not found at '{dir}'.");
            Console.WriteLine("jsonata: 0 passed, 0 failed");
            return 2;
        }

        var cases = CaseLoader.Load(dir).Where(c => group is null || c.Group == group).ToList();
        var baseline = ListFile.Read("baseline.txt");
        var rows = new SortedDictionary<string, (int Passed, int Failed)>(StringComparer.Ordinal);
        var failures = new List<string>();
        var differences = new List<string>();
        int passed = 0, failed = 0;
        foreach (var c in cases)
        {
            var o = OutcomeCache.Get(c, NumberMode.Double);
            var row = rows.GetValueOrDefault(c.Group);
            if (o.Passed)
            {
                passed++;
                row.Passed++;
            }
            else
            {
                failed++;
                row.Failed++;
                failures.Add($"{c.Id}  {o.Reason}");
            }

            rows[c.Group] = row;
            if ((decimalPass || writeLists) && o.Passed && OutcomeCache.DecimalDiffers(c, out var detail))
            {
                differences.Add($"{c.Id}  {detail}");
            }
        }

        Console.WriteLine($"{"group",-34} {"passed",7} {"failed",7}");
        foreach (var (g, (p, f)) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{g,-34} {p,7} {f,7}"));
        }

        if (showFailures)
        {
            Console.WriteLine();
            failures.ForEach(Console.WriteLine);
        }

        if (decimalPass)
        {
            Console.WriteLine();
            Console.WriteLine("decimal-mode differences:");
            differences.ForEach(Console.WriteLine);
        }

        if (writeLists)
        {
            File.WriteAllLines("baseline.generated.txt", failures);
            File.WriteAllLines("decimal-differences.generated.txt", differences);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"jsonata: {passed} passed, {failed} failed"));
        _ = baseline;
        return 0;
    }
}
