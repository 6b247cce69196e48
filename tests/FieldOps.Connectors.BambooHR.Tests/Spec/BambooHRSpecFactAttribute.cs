namespace FieldOps.Connectors.BambooHR.Tests.Spec;

/// <summary>A fact that needs BambooHR's OpenAPI document: reported SKIPPED, naming the path, when it is absent — never passed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BambooHRSpecFactAttribute : FactAttribute
{
    public BambooHRSpecFactAttribute()
    {
        if (!BambooHRSpec.IsPresent)
            Skip = $"SKIPPED: BambooHR OpenAPI spec not found at {BambooHRSpec.SpecPath}";
    }
}
