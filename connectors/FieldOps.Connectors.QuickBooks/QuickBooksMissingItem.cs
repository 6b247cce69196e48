namespace FieldOps.Connectors.QuickBooks;

/// <summary>What happens to a job line whose product or service has no QuickBooks Item (by table or by name).</summary>
public enum QuickBooksMissingItem
{
    /// <summary>The invoice is dead-lettered naming the item, so the admin adds it to the table or to QuickBooks.</summary>
    DeadLetter,

    /// <summary>The line is booked to <see cref="QuickBooksOptions.FallbackItem"/> (its own description is kept).</summary>
    Fallback,

    /// <summary>A Service item of that name is created once (posting to <see cref="QuickBooksOptions.NewItemIncomeAccount"/>), marked as ours.</summary>
    Create,
}
