namespace FieldOps.Jsonata.Conformance;

/// <summary>A theory that is reported as skipped (naming the folder looked for) when the suite is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SuiteTheoryAttribute : TheoryAttribute
{
    public SuiteTheoryAttribute()
    {
        var dir = SuiteLocator.Locate();
        if (!SuiteLocator.Exists(dir))
        {
            Skip = $"JSONata conformance suite not found at '{dir}' (set {SuiteLocator.EnvironmentVariable} to its folder).";
        }
    }
}
