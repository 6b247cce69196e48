namespace FieldOps.Connectors.QuickBooks.Tests.Schema;

/// <summary>A fact that needs the QuickBooks XSDs: reported SKIPPED, naming the path, when they are absent — never passed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class QuickBooksSpecFactAttribute : FactAttribute
{
    public QuickBooksSpecFactAttribute()
    {
        if (!QuickBooksSchema.IsPresent)
            Skip = $"SKIPPED: QuickBooks XSDs not found at {QuickBooksSchema.SpecDirectory} (Finance.xsd)";
    }
}
