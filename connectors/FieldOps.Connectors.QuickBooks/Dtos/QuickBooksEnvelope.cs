namespace FieldOps.Connectors.QuickBooks.Dtos;

/// <summary>
/// The fault part of any QuickBooks response body. Read case-insensitively because the 401 body spells
/// <c>fault.error[]</c> in lower case while every other body is PascalCase.
/// </summary>
internal sealed class QuickBooksEnvelope
{
    public QuickBooksFault? Fault { get; set; }
}

/// <summary>The fields of an entity the connector reads back (the rest of the body is kept raw).</summary>
internal sealed class QuickBooksEntity
{
    public string? Id { get; set; }
    public string? SyncToken { get; set; }
    public string? DisplayName { get; set; }
    public string? Name { get; set; }
    public string? CompanyName { get; set; }
    public string? Notes { get; set; }
    public string? EmailStatus { get; set; }
    public bool? Active { get; set; }
    public decimal? TotalAmt { get; set; }
    public QuickBooksReference? CurrencyRef { get; set; }
    public QuickBooksTaxDetail? TxnTaxDetail { get; set; }
}

/// <summary>A reference (<c>{"value": "USD", "name": "United States Dollar"}</c>).</summary>
internal sealed class QuickBooksReference
{
    public string? Value { get; set; }
    public string? Name { get; set; }
}

/// <summary>The invoice's tax as QuickBooks computed or kept it.</summary>
internal sealed class QuickBooksTaxDetail
{
    public decimal? TotalTax { get; set; }
}

/// <summary><c>Fault</c> (or <c>fault</c> on a 401): the errors and the fault type.</summary>
internal sealed class QuickBooksFault
{
    public List<QuickBooksError>? Error { get; set; }
    public string? Type { get; set; }
}

/// <summary>One error of a fault: <c>code</c> is the number that decides the class (6240, 5010, 3001, 3200, …).</summary>
internal sealed class QuickBooksError
{
    public string? Message { get; set; }
    public string? Detail { get; set; }
    public string? Code { get; set; }
    public string? Element { get; set; }

    public override string ToString() =>
        string.IsNullOrEmpty(Element) ? $"{Code} {Message}: {Detail}" : $"{Code} {Message}: {Detail} (element {Element})";
}
