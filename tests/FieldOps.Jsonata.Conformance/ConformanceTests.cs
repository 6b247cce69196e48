namespace FieldOps.Jsonata.Conformance;

/// <summary>One xUnit test per suite case, checked against <c>baseline.txt</c> and <c>decimal-differences.txt</c>.</summary>
public sealed class ConformanceTests
{
    private const string Missing = "(suite missing)";
    private static readonly IReadOnlyDictionary<string, string> Baseline = ListFile.Read("baseline.txt");
    private static readonly IReadOnlyDictionary<string, string> DecimalDifferences = ListFile.Read("decimal-differences.txt");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        var dir = SuiteLocator.Locate();
        if (!SuiteLocator.Exists(dir))
        {
            data.Add(Missing);
            return data;
        }

        foreach (var c in CaseLoader.Load(dir))
        {
            data.Add(c.Id);
        }

        return data;
    }

    [SuiteTheory]
    [MemberData(nameof(Cases))]
    public void Case_DoubleMode_PassesUnlessBaselined(string id)
    {
        var c = Find(id);
        var outcome = OutcomeCache.Get(c, NumberMode.Double);
        var baselined = Baseline.ContainsKey(id);
        if (outcome.Passed && baselined)
        {
            Assert.Fail($"{id} passes now: remove it from the baseline (baseline.txt).");
        }

        if (!outcome.Passed && !baselined)
        {
            Assert.Fail($"{id} fails: {outcome.Reason}\n  expr: {c.Expr}");
        }
    }

    [SuiteTheory]
    [MemberData(nameof(Cases))]
    public void Case_DecimalMode_DiffersOnlyWhereListed(string id)
    {
        if (Baseline.ContainsKey(id))
        {
            return;
        }

        var c = Find(id);
        var differs = OutcomeCache.DecimalDiffers(c, out var detail);
        var listed = DecimalDifferences.ContainsKey(id);
        if (differs && !listed)
        {
            Assert.Fail($"{id} differs in decimal mode and is not listed in decimal-differences.txt: {detail}");
        }

        if (!differs && listed)
        {
            Assert.Fail($"{id} no longer differs in decimal mode: remove it from decimal-differences.txt.");
        }
    }

    private static ConformanceCase Find(string id)
    {
        var dir = SuiteLocator.Locate();
        Assert.True(SuiteLocator.Exists(dir), $"JSONata conformance suite not found at '{dir}'.");
        return CaseLoader.Load(dir).Single(c => c.Id == id);
    }
}
