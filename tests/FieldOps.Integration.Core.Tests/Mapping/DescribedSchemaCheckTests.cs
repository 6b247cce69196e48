using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Integration.Core.Mapping.TargetSchemas;
using FieldOps.Integration.Testing;

namespace FieldOps.Integration.Core.Tests.Mapping;

/// <summary>
/// Flows checked against Salesforce's describe and HubSpot's properties as <c>validate --online</c> caches them (the
/// answers in Fixtures/target-schemas, in the vendors' documented shape): each kind of mistake for each of the two
/// targets, with its message and where it is; custom fields (<c>FS_Job_Id__c</c>, <c>fs_job_id</c>) like standard ones.
/// </summary>
public sealed class DescribedSchemaCheckTests : IDisposable
{
    private static readonly TargetSchemaSet Schemas =
        TargetSchemaSet.Shipped.With(DescribedSchema.AllFromCache(TargetSchemaAnswers.Cached(new DateTimeOffset(2026, 12, 4, 21, 0, 0, TimeSpan.Zero))));

    private readonly MappingFolder _folder = new(withShipped: false);

    private static string Flow(string connector, string operation, string objectType, string fields, string parameters = "") => $"""
        kind: flow
        name: crm
        when:
          type: JobCompleted
        operations:
          - key: one
            connector: {connector}
            operation: {operation}
            objectType: {objectType}
            idempotencyKey: entity.id
            partitionKey: entity.id
        {parameters}    fields:
        {fields}
        """;

    private (IReadOnlyList<MappingDiagnostic> Diagnostics, string Text) Validate(string text)
    {
        _folder.Write("flows/crm.yaml", text);
        return (MappingLoader.ValidateFiles([_folder.PathOf("flows/crm.yaml")], Schemas), text);
    }

    /// <summary>The line and column (1-based) of the first <paramref name="needle"/> in <paramref name="text"/>.</summary>
    private static (int Line, int Column) At(string text, string needle)
    {
        var lines = text.Split('\n');
        var line = Array.FindIndex(lines, l => l.Contains(needle, StringComparison.Ordinal));
        Assert.True(line >= 0, needle);
        return (line + 1, lines[line].IndexOf(needle, StringComparison.Ordinal) + 1);
    }

    private static MappingDiagnostic On(IReadOnlyList<MappingDiagnostic> diagnostics, string field) =>
        Assert.Single(diagnostics, d => d.Field == "operations[0]." + field);

    [Fact]
    public void ShippedMappings_PassAgainstTheSalesforceDescribeAndHubSpotProperties()
    {
        var result = MappingLoader.Load(MappingFolder.Shipped, Schemas);

        Assert.Empty(result.Diagnostics);
        Assert.NotNull(result.Set);
    }

    [Fact]
    public void KnownUnknownField_OfSalesforceAndHubSpot_IsAWarning_NotAnError()
    {
        // A custom field or property created in the org/portal later: listed in knownUnknownFields, it only warns.
        var (salesforce, _) = Validate(Flow("salesforce", "update", "Case", "      FS_Visit_Id__c: entity.id\n", "    knownUnknownFields: [FS_Visit_Id__c]\n"));
        var (hubspot, _) = Validate(Flow("hubspot", "upsert", "tickets", "      fs_visit_id: entity.id\n",
            "    knownUnknownFields: [fs_visit_id]\n    params:\n      idProperty: \"'fs_job_id'\"\n"));

        var sf = On(salesforce, "fields.FS_Visit_Id__c");
        Assert.True(sf.IsWarning, sf.Message);
        Assert.Contains("'FS_Visit_Id__c' is not (yet) a field of Salesforce Case; accepted because the operation lists it in knownUnknownFields", sf.Message, StringComparison.Ordinal);
        var hs = On(hubspot, "fields.fs_visit_id");
        Assert.True(hs.IsWarning, hs.Message);
        Assert.Contains("'fs_visit_id' is not (yet) a field of HubSpot tickets; accepted because the operation lists it in knownUnknownFields", hs.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Salesforce_UnknownField_StandardOrCustom_IsAnErrorAtTheKey_NamingTheNearestValidNames()
    {
        var (diagnostics, text) = Validate(Flow("salesforce", "update", "Case", "      Subjet: entity.title\n      FS_Job_Idd__c: entity.id\n"));

        Assert.Equal(2, diagnostics.Count);
        var custom = On(diagnostics, "fields.FS_Job_Idd__c");
        Assert.False(custom.IsWarning);
        Assert.Equal(At(text, "FS_Job_Idd__c"), (custom.Line, custom.Column));
        Assert.Contains("unknown field 'FS_Job_Idd__c' of Salesforce Case (Salesforce describe fetched 2026-12-04 21:00 UTC) (did you mean 'FS_Job_Id__c'?", custom.Message, StringComparison.Ordinal);
        Assert.Contains("(did you mean 'Subject'?", On(diagnostics, "fields.Subjet").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Salesforce_WrongType_LiteralIsAnError_SourceFieldOfAnotherKindIsAWarning()
    {
        var (diagnostics, text) = Validate(Flow("salesforce", "update", "Account",
            "      AnnualRevenue: \"'lots'\"\n      NumberOfEmployees: 12.5\n      Phone: entity.total.amount\n"));

        Assert.Equal(3, diagnostics.Count);
        var literal = On(diagnostics, "fields.AnnualRevenue");
        Assert.False(literal.IsWarning);
        Assert.Equal(At(text, "'lots'"), (literal.Line, literal.Column));
        Assert.Contains("Salesforce Account.AnnualRevenue is a decimal (currency); the literal 'lots' does not fit", literal.Message, StringComparison.Ordinal);
        Assert.Contains("Salesforce Account.NumberOfEmployees is an integer (int); the literal 12.5 is not a whole number", On(diagnostics, "fields.NumberOfEmployees").Message, StringComparison.Ordinal);
        var path = On(diagnostics, "fields.Phone");
        Assert.True(path.IsWarning);
        Assert.Contains("Salesforce Account.Phone is a string (phone); the source field 'entity.total.amount' (number in common.schema.json) does not fit", path.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Salesforce_MissingRequiredField_IsAnError_OnCreateAndOnANote_NotOnAnUpdate()
    {
        var (diagnostics, text) = Validate(Flow("salesforce", "upsert", "Account", "      Phone: entity.customer.phones[0].number\n", "    params:\n      externalIdField: \"'FS_Customer_Id__c'\"\n"));
        var missing = On(diagnostics, "fields");
        Assert.Equal(At(text, "fields:"), (missing.Line, missing.Column));
        // Name is createable, not nillable and not defaulted on create; OwnerId is defaulted, IsDeleted is not createable.
        Assert.Contains("Salesforce Account requires 'Name', which this operation does not produce", missing.Message, StringComparison.Ordinal);

        var (note, _) = Validate(Flow("salesforce", "note", "CaseComment", "      CommentBody: entity.notes\n"));
        Assert.Contains("Salesforce CaseComment requires 'ParentId'", On(note, "fields").Message, StringComparison.Ordinal);

        Assert.Empty(Validate(Flow("salesforce", "update", "Account", "      Phone: entity.customer.phones[0].number\n")).Diagnostics);
    }

    [Fact]
    public void Salesforce_InvalidPicklistValue_RestrictedIsAnError_UnrestrictedOrInactiveIsAWarning()
    {
        var (diagnostics, text) = Validate(Flow("salesforce", "update", "Account", "      FS_Service_Tier__c: \"'Gold'\"\n      Rating: \"'Lukewarm'\"\n"));

        var restricted = On(diagnostics, "fields.FS_Service_Tier__c");
        Assert.False(restricted.IsWarning);
        Assert.Equal(At(text, "'Gold'"), (restricted.Line, restricted.Column));
        Assert.Contains("'Gold' is not a valid value of Salesforce Account.FS_Service_Tier__c; allowed: Standard, Priority, Contract", restricted.Message, StringComparison.Ordinal);
        // Lukewarm is in the describe but inactive; Rating is not a restricted picklist, so Salesforce would store it.
        var inactive = On(diagnostics, "fields.Rating");
        Assert.True(inactive.IsWarning);
        Assert.Contains("'Lukewarm' is not a valid value of Salesforce Account.Rating; allowed: Hot, Warm, Cold", inactive.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Salesforce_ReadOnlyField_AndAnUpsertKeyThatIsNotAnExternalId_AreErrors()
    {
        var (diagnostics, text) = Validate(Flow("salesforce", "upsert", "Case", "      Subject: entity.title\n      CaseNumber: entity.number\n", "    params:\n      externalIdField: \"'Subject'\"\n"));

        Assert.Equal(2, diagnostics.Count);
        Assert.Contains("Salesforce Case.CaseNumber is read-only", On(diagnostics, "fields.CaseNumber").Message, StringComparison.Ordinal);
        var key = On(diagnostics, "params.externalIdField");
        Assert.Equal(At(text, "'Subject'"), (key.Line, key.Column));
        Assert.Contains("externalIdField 'Subject' cannot key an upsert: Salesforce Case.Subject is not an external id / unique-value field; key fields: Id, CaseNumber, FS_Job_Id__c", key.Message, StringComparison.Ordinal);

        var (typo, _) = Validate(Flow("salesforce", "upsert", "Case", "      Subject: entity.title\n", "    params:\n      externalIdField: \"'FS_Job_ID_c'\"\n"));
        Assert.Contains("externalIdField 'FS_Job_ID_c' is not a field of Salesforce Case", On(typo, "params.externalIdField").Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'FS_Job_Id__c'?", On(typo, "params.externalIdField").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HubSpot_UnknownProperty_StandardOrCustom_IsAnErrorAtTheKey_NamingTheNearestValidNames()
    {
        var (diagnostics, text) = Validate(Flow("hubspot", "update", "tickets", "      subjet: entity.title\n      fs_job_idd: entity.id\n"));

        Assert.Equal(2, diagnostics.Count);
        var custom = On(diagnostics, "fields.fs_job_idd");
        Assert.False(custom.IsWarning);
        Assert.Equal(At(text, "fs_job_idd"), (custom.Line, custom.Column));
        Assert.Contains("unknown field 'fs_job_idd' of HubSpot tickets (HubSpot properties fetched 2026-12-04 21:00 UTC) (did you mean 'fs_job_id'?", custom.Message, StringComparison.Ordinal);
        Assert.Contains("(did you mean 'subject'?", On(diagnostics, "fields.subjet").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HubSpot_WrongType_LiteralIsAnError_SourceFieldOfAnotherKindIsAWarning()
    {
        var (diagnostics, text) = Validate(Flow("hubspot", "update", "tickets", "      fs_visit_count: \"'three'\"\n      closed_date: entity.total.amount\n      content: entity.lineItems\n"));

        Assert.Equal(2, diagnostics.Count);
        var literal = On(diagnostics, "fields.fs_visit_count");
        Assert.False(literal.IsWarning);
        Assert.Equal(At(text, "'three'"), (literal.Line, literal.Column));
        Assert.Contains("HubSpot tickets.fs_visit_count is a decimal (number); the literal 'three' does not fit", literal.Message, StringComparison.Ordinal);
        // closed_date is a datetime: HubSpot takes ISO text or epoch milliseconds, so a number is not flagged.
        var list = On(diagnostics, "fields.content");
        Assert.True(list.IsWarning);
        Assert.Contains("HubSpot tickets.content is a string (string); the source field 'entity.lineItems' (array in job.schema.json) does not fit", list.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HubSpot_MissingRequiredProperty_CannotBeTold_ThePropertiesAnswerHasNoRequiredFlag()
    {
        // HubSpot refuses a ticket without hs_pipeline_stage, but GET /crm/v3/properties says nothing of it (no property is
        // marked required; only custom object schemas list requiredProperties), so the check reports nothing here.
        var (diagnostics, _) = Validate(Flow("hubspot", "upsert", "tickets", "      content: entity.description\n", "    params:\n      idProperty: \"'fs_job_id'\"\n"));

        Assert.Empty(diagnostics);
    }

    [Fact]
    public void HubSpot_InvalidEnumerationValue_IsAnError_WithTheOptions()
    {
        var (diagnostics, text) = Validate(Flow("hubspot", "update", "tickets", "      hs_ticket_priority: \"'CRITICAL'\"\n      hs_pipeline_stage: \"'4'\"\n"));

        var diagnostic = Assert.Single(diagnostics);
        Assert.False(diagnostic.IsWarning);
        Assert.Equal(At(text, "'CRITICAL'"), (diagnostic.Line, diagnostic.Column));
        Assert.Contains("'CRITICAL' is not a valid value of HubSpot tickets.hs_ticket_priority; allowed: LOW, MEDIUM, HIGH, URGENT", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HubSpot_ReadOnlyOrCalculatedProperty_AndAnIdPropertyWithoutUniqueValues_AreErrors()
    {
        var (diagnostics, text) = Validate(Flow("hubspot", "upsert", "tickets", "      subject: entity.title\n      time_to_close: 5\n", "    params:\n      idProperty: \"'fs_jobber_request_id'\"\n"));

        Assert.Equal(2, diagnostics.Count);
        Assert.Contains("HubSpot tickets.time_to_close is read-only", On(diagnostics, "fields.time_to_close").Message, StringComparison.Ordinal);
        var key = On(diagnostics, "params.idProperty");
        Assert.Equal(At(text, "'fs_jobber_request_id'"), (key.Line, key.Column));
        Assert.Contains("idProperty 'fs_jobber_request_id' cannot key an upsert: HubSpot tickets.fs_jobber_request_id is not an external id / unique-value field; key fields: hs_object_id, fs_job_id", key.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
