using FieldOps.Integration.Core.Mapping.Loading;

namespace FieldOps.Integration.Core.Tests.Mapping;

/// <summary>
/// Flows checked against the targets' own schemas shipped in the build (QuickBooks' XSD, BambooHR's OpenAPI): each kind
/// of mistake for each target, with its message and where it is in the file.
/// </summary>
public sealed class TargetSchemaCheckTests : IDisposable
{
    private readonly MappingFolder _folder = new(withShipped: false);

    private static string QuickBooksCustomer(string fields, string extra = "") => $"""
        kind: flow
        name: qb
        when:
          type: CustomerUpserted
        operations:
          - key: customer
            connector: quickbooks
            operation: upsert
            objectType: Customer
            idempotencyKey: entity.id
            partitionKey: entity.id
        {extra}    fields:
        {fields}
        """;

    private static string BambooHRHours(string fields, string objectType = "TimeTrackingRecord", string operation = "log-time", string extra = "") => $"""
        kind: flow
        name: hr
        when:
          type: TimeEntryUpserted
        operations:
          - key: hours
            connector: bamboohr
            operation: {operation}
            objectType: {objectType}
            idempotencyKey: entity.id
            partitionKey: entity.id
        {extra}    fields:
        {fields}
        """;

    private IReadOnlyList<MappingDiagnostic> Validate(string text)
    {
        _folder.Write("flows/flow.yaml", text);
        return MappingLoader.ValidateFiles([_folder.PathOf("flows/flow.yaml")]);
    }

    [Fact]
    public void ShippedMappings_PassTheTargetSchemaCheck_WithoutWarnings()
    {
        var result = MappingLoader.Load(MappingFolder.Shipped);

        Assert.Empty(result.Diagnostics);
        Assert.NotNull(result.Set);
    }

    [Fact]
    public void QuickBooks_UnknownField_IsAnErrorAtTheKey_NamingTheNearestValidNames()
    {
        var diagnostic = Assert.Single(Validate(QuickBooksCustomer("      DisplayNmae: entity.displayName\n      GivenName: entity.firstName\n")));

        Assert.False(diagnostic.IsWarning);
        Assert.EndsWith("flows/flow.yaml", diagnostic.File, StringComparison.Ordinal);
        Assert.Equal((13, 7), (diagnostic.Line, diagnostic.Column));
        Assert.Equal("operations[0].fields.DisplayNmae", diagnostic.Field);
        Assert.Contains("unknown field 'DisplayNmae' of QuickBooks Customer (QuickBooks XSD (Finance.xsd)) (did you mean 'DisplayName'?", diagnostic.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void QuickBooks_WrongTypedLiteral_IsAnError_AStringExpressionIntoADecimal_IsAWarning()
    {
        var diagnostics = Validate(QuickBooksCustomer("      DisplayName: entity.displayName\n      Taxable: \"'yes'\"\n      Balance: \"'open ' & entity.balance\"\n"));

        Assert.Equal(2, diagnostics.Count);
        var literal = diagnostics.Single(d => d.Field == "operations[0].fields.Taxable");
        Assert.False(literal.IsWarning);
        Assert.Equal((14, 17), (literal.Line, literal.Column));
        Assert.Contains("QuickBooks Customer.Taxable is a boolean (xs:boolean); the literal 'yes' does not fit", literal.Message, StringComparison.Ordinal);
        var expression = diagnostics.Single(d => d.Field == "operations[0].fields.Balance");
        Assert.True(expression.IsWarning);
        Assert.Contains("QuickBooks Customer.Balance is a decimal (xs:decimal); a string expression does not fit", expression.Message, StringComparison.Ordinal);
        Assert.StartsWith(expression.File + ":15:", expression.ToString(), StringComparison.Ordinal);
        Assert.Contains(": warning: ", expression.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void QuickBooks_MissingRequiredField_OfAReference_IsAnError()
    {
        var text = """
            kind: flow
            name: qb
            when:
              type: JobCompleted
            operations:
              - key: invoice
                connector: quickbooks
                operation: create
                objectType: Invoice
                idempotencyKey: entity.id
                partitionKey: entity.id
                fields:
                  CustomerRef:
                    name: entity.customer.displayName
            """;

        var diagnostic = Assert.Single(Validate(text));

        Assert.Equal("operations[0].fields.CustomerRef", diagnostic.Field);
        Assert.Equal((13, 7), (diagnostic.Line, diagnostic.Column));
        Assert.Contains("QuickBooks ReferenceType requires 'value'", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QuickBooks_InvalidEnumerationValue_IsAnError_WithTheAllowedValues()
    {
        var diagnostic = Assert.Single(Validate("""
            kind: flow
            name: qb
            when:
              type: JobCompleted
            operations:
              - key: invoice
                connector: quickbooks
                operation: update
                objectType: Invoice
                idempotencyKey: entity.id
                partitionKey: entity.id
                fields:
                  GlobalTaxCalculation: "'TaxExcludd'"
            """));

        Assert.Equal((13, 30), (diagnostic.Line, diagnostic.Column));
        Assert.Contains("'TaxExcludd' is not a valid value of QuickBooks Invoice.GlobalTaxCalculation (did you mean 'TaxExcluded'?); allowed: TaxInclusive, TaxExcluded, NotApplicable", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QuickBooks_UnknownMemberOfAnObjectConstructor_IsAnErrorAtItsCharacter()
    {
        var diagnostic = Assert.Single(Validate(QuickBooksCustomer("      DisplayName: entity.displayName\n      PrimaryEmailAddr: \"$exists(entity.emails[0]) ? { 'Adress': entity.emails[0] }\"\n")));

        Assert.Equal("operations[0].fields.PrimaryEmailAddr", diagnostic.Field);
        Assert.Equal((14, 56), (diagnostic.Line, diagnostic.Column));
        Assert.Contains("unknown field 'Adress' of QuickBooks EmailAddress", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'Address'?", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QuickBooks_UnknownEntity_IsAnError()
    {
        var diagnostic = Assert.Single(Validate(QuickBooksCustomer("      DisplayName: entity.displayName\n").Replace("objectType: Customer", "objectType: Custmer", StringComparison.Ordinal)));

        Assert.Equal("operations[0].objectType", diagnostic.Field);
        Assert.Contains("QuickBooks has no object 'Custmer' for 'upsert' (did you mean 'Customer'?", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BambooHR_UnknownField_IsAnError_NamingTheNearestValidNames()
    {
        var diagnostics = Validate(BambooHRHours("      dateHoursWorked: entity.date\n      hoursWorkd: \"$round(entity.durationMinutes / 60, 2)\"\n"));

        Assert.Equal(2, diagnostics.Count);
        Assert.Contains("requires 'hoursWorked'", diagnostics.Single(d => d.Field == "operations[0].fields").Message, StringComparison.Ordinal);
        var diagnostic = diagnostics.Single(d => d.Field != "operations[0].fields");

        Assert.Equal((14, 7), (diagnostic.Line, diagnostic.Column));
        Assert.Equal("operations[0].fields.hoursWorkd", diagnostic.Field);
        Assert.Contains("unknown field 'hoursWorkd' of BambooHR TimeTrackingRecord (BambooHR OpenAPI (bamboohr-public-openapi.yaml)) (did you mean 'hoursWorked'?", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BambooHR_WrongTypedLiteral_IsAnError_AStringExpressionIntoANumber_IsAWarning()
    {
        var literal = Assert.Single(Validate(BambooHRHours("      dateHoursWorked: entity.date\n      hoursWorked: \"'eight'\"\n")));
        Assert.False(literal.IsWarning);
        Assert.Equal((14, 21), (literal.Line, literal.Column));
        Assert.Contains("BambooHR TimeTrackingRecord.hoursWorked is a decimal (number); the literal 'eight' does not fit", literal.Message, StringComparison.Ordinal);

        var whole = Assert.Single(Validate(BambooHRHours("      dateHoursWorked: entity.date\n      hoursWorked: 8\n      jobCode: 1.5\n")));
        Assert.Contains("BambooHR TimeTrackingRecord.jobCode is an integer (integer); the literal 1.5 is not a whole number", whole.Message, StringComparison.Ordinal);

        var expression = Assert.Single(Validate(BambooHRHours("      dateHoursWorked: entity.date\n      hoursWorked: \"entity.hours & 'h'\"\n")));
        Assert.True(expression.IsWarning);
        Assert.Contains("a string expression does not fit unless it evaluates to one", expression.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BambooHR_MissingRequiredField_IsAnError_ButFieldsTheConnectorSuppliesAreNot()
    {
        var diagnostic = Assert.Single(Validate(BambooHRHours("      hoursWorked: 8\n")));

        Assert.Equal("operations[0].fields", diagnostic.Field);
        Assert.Equal((12, 5), (diagnostic.Line, diagnostic.Column));
        // employeeId, rateType and timeTrackingId are required too, but the connector fills them in (params.technician, the default rate type, the key).
        Assert.Contains("BambooHR TimeTrackingRecord requires 'dateHoursWorked', which this operation does not produce", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BambooHR_InvalidEnumValue_IsAnError()
    {
        var diagnostic = Assert.Single(Validate(BambooHRHours(
            "      status: \"'aproved'\"\n      start: entity.start\n      end: entity.end\n      timeOffTypeId: entity.typeId\n", "TimeOffRequest", "create")));

        Assert.Equal((13, 16), (diagnostic.Line, diagnostic.Column));
        Assert.Contains("'aproved' is not a valid value of BambooHR TimeOffRequest.status (did you mean 'approved'?); allowed: approved, denied, declined, requested", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KnownUnknownField_IsAWarning_AndTheSetLoads()
    {
        _folder.Write("flows/flow.yaml", BambooHRHours(
            "      dateHoursWorked: entity.date\n      hoursWorked: 8\n      fsVisitId: entity.visitId\n",
            extra: "    knownUnknownFields: [fsVisitId]\n"));

        var result = MappingLoader.Load(_folder.Root);

        Assert.NotNull(result.Set);
        var warning = Assert.Single(result.Diagnostics);
        Assert.True(warning.IsWarning);
        Assert.Equal((16, 7), (warning.Line, warning.Column));
        Assert.Contains("'fsVisitId' is not (yet) a field of BambooHR TimeTrackingRecord; accepted because the operation lists it in knownUnknownFields", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FolderWithAnUnknownTargetField_IsRefusedLikeASyntaxError()
    {
        _folder.Write("flows/flow.yaml", QuickBooksCustomer("      DisplayNmae: entity.displayName\n"));

        var result = MappingLoader.Load(_folder.Root);

        Assert.Null(result.Set);
        Assert.Contains("unknown field 'DisplayNmae'", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
