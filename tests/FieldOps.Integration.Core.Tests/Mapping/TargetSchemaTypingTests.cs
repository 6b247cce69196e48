using FieldOps.Integration.Core.Mapping.Loading;

namespace FieldOps.Integration.Core.Tests.Mapping;

/// <summary>
/// What the check can tell of a value that is not a literal: a plain path typed from the canonical schemas, a function's
/// result, the items of a list built by <c>[…]</c> or <c>$append</c>; and what it cannot tell, which it leaves alone.
/// </summary>
public sealed class TargetSchemaTypingTests : IDisposable
{
    private readonly MappingFolder _folder = new(withShipped: false);

    private static string Flow(string eventType, string operation, string objectType, string fields) => $"""
        kind: flow
        name: typed
        when:
          type: {eventType}
        operations:
          - key: one
            connector: quickbooks
            operation: {operation}
            objectType: {objectType}
            idempotencyKey: entity.id
            partitionKey: entity.id
            fields:
        {fields}
        """;

    private IReadOnlyList<MappingDiagnostic> Validate(string text)
    {
        _folder.Write("flows/flow.yaml", text);
        return MappingLoader.ValidateFiles([_folder.PathOf("flows/flow.yaml")]);
    }

    [Fact]
    public void PathToAStringSourceField_IntoADecimal_IsAWarning_NamingTheSourceFieldAndItsSchema()
    {
        var diagnostic = Assert.Single(Validate(Flow("CustomerUpserted", "update", "Customer", "      Balance: entity.displayName\n")));

        Assert.True(diagnostic.IsWarning);
        Assert.Equal("operations[0].fields.Balance", diagnostic.Field);
        Assert.Equal((13, 16), (diagnostic.Line, diagnostic.Column));
        Assert.Contains("QuickBooks Customer.Balance is a decimal (xs:decimal); the source field 'entity.displayName' (string in customer.schema.json) does not fit unless it evaluates to one",
            diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PathsThroughReferencesIndexesAndNullableUnions_AreTyped()
    {
        var diagnostics = Validate(Flow("JobCompleted", "update", "Invoice",
            "      Deposit: entity.total.amount\n      Balance: entity.customer.phones[0].number\n      TxnDate: occurredAt\n      AllowOnlineACHPayment: entity.customer.billingAddress.city\n"));

        // entity.total.amount is a number (common.schema.json money): fits. occurredAt is a string: fits a date (the value is checked at run time).
        Assert.Equal(2, diagnostics.Count);
        Assert.All(diagnostics, d => Assert.True(d.IsWarning));
        Assert.Contains("the source field 'entity.customer.phones[0].number' (string in customer.schema.json)", diagnostics.Single(d => d.Field!.EndsWith("Balance", StringComparison.Ordinal)).Message, StringComparison.Ordinal);
        Assert.Contains("is a boolean (xs:boolean); the source field 'entity.customer.billingAddress.city' (string in common.schema.json)",
            diagnostics.Single(d => d.Field!.EndsWith("AllowOnlineACHPayment", StringComparison.Ordinal)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FunctionResults_AreTypedByTheFunction()
    {
        var diagnostics = Validate(Flow("CustomerUpserted", "update", "Customer",
            "      Balance: \"$uppercase(entity.displayName)\"\n      Taxable: \"$split(entity.displayName, ' ')\"\n      Notes: \"$count(entity.emails)\"\n      OpenBalanceDate: \"$localDate(entity.updatedAt, 'UTC')\"\n"));

        Assert.Equal(3, diagnostics.Count);
        Assert.All(diagnostics, d => Assert.True(d.IsWarning));
        Assert.Contains("Customer.Balance is a decimal (xs:decimal); a string expression does not fit", diagnostics.Single(d => d.Field!.EndsWith("Balance", StringComparison.Ordinal)).Message, StringComparison.Ordinal);
        Assert.Contains("Customer.Taxable is a boolean (xs:boolean); an array expression does not fit", diagnostics.Single(d => d.Field!.EndsWith("Taxable", StringComparison.Ordinal)).Message, StringComparison.Ordinal);
        Assert.Contains("Customer.Notes is a string (xs:string); a number expression does not fit", diagnostics.Single(d => d.Field!.EndsWith("Notes", StringComparison.Ordinal)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ListBuiltByAppend_EachItemIsChecked_UnknownMember_WrongTypedLiteral_AndSourceFieldTypes()
    {
        var fields = """
                  CustomerRef:
                    value: "'1'"
                  Line: |
                    $append(
                      [entity.lineItems.{
                        "DetailType": "SalesItemLineDetail",
                        "Amont": quantity * unitPrice.amount,
                        "SalesItemLineDetail": { "Qty": description, "UnitPrice": unitPrice.amount }
                      }],
                      [entity.discounts.{ "DetailType": "DiscountLineDetail", "Amount": "ten" }]
                    )
            """;

        var diagnostics = Validate(Flow("JobCompleted", "create", "Invoice", fields));

        Assert.Equal(3, diagnostics.Count);
        var unknown = diagnostics.Single(d => d.Message.Contains("Amont", StringComparison.Ordinal));
        Assert.False(unknown.IsWarning);
        Assert.Equal((19, 13), (unknown.Line, unknown.Column));
        Assert.Contains("unknown field 'Amont' of QuickBooks Line", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'Amount'?", unknown.Message, StringComparison.Ordinal);
        var qty = diagnostics.Single(d => d.Message.Contains("Qty", StringComparison.Ordinal));
        Assert.True(qty.IsWarning);
        Assert.Equal((20, 45), (qty.Line, qty.Column));
        Assert.Contains("QuickBooks SalesItemLineDetail.Qty is a decimal (xs:decimal); the source field 'entity.lineItems[].description' (string in job.schema.json)", qty.Message, StringComparison.Ordinal);
        var literal = diagnostics.Single(d => d.Message.Contains("'ten'", StringComparison.Ordinal));
        Assert.False(literal.IsWarning);
        Assert.Equal((22, 77), (literal.Line, literal.Column));
        Assert.Contains("QuickBooks Line.Amount is a decimal (xs:decimal); the literal 'ten' does not fit", literal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ListWrittenAsAYamlList_EachItemIsChecked()
    {
        var fields = """
                  CustomerRef:
                    value: "'1'"
                  Line:
                    - DetailType: "'SalesItemLineDetial'"
                      Amount: entity.total.amount
            """;

        var diagnostic = Assert.Single(Validate(Flow("JobCompleted", "create", "Invoice", fields)));

        Assert.Equal("operations[0].fields.Line[0].DetailType", diagnostic.Field);
        Assert.Contains("'SalesItemLineDetial' is not a valid value of QuickBooks Line.DetailType (did you mean 'SalesItemLineDetail'?)", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhatCannotBeTold_IsNotGuessed_VariablesLookupsUnlistedFieldsAndMappedPaths()
    {
        // $lookup's result, a variable, $xref (an id or, before delivery, a placeholder), a field the canonical schema does
        // not list, a path that maps over a list mid-way, and a flow on an event with no entity schema: none is typed.
        var diagnostics = Validate(Flow("CustomerUpserted", "update", "Customer",
            "      Balance: \"$lookup({'a': 'x'}, 'a')\"\n      OpenBalanceDate: \"$company.timeZone\"\n      Notes: \"$xref('quickbooks', 'Customer', entity.id)\"\n"
            + "      Taxable: entity.notAField\n      CompanyName: entity.phones.number\n"));
        Assert.Empty(diagnostics);

        Assert.Empty(Validate(Flow("EntityDeleted", "update", "Customer", "      Balance: entity.displayName\n")));
    }

    public void Dispose() => _folder.Dispose();
}
