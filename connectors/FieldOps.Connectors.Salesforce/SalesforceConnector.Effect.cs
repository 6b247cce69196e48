using System.Text.Json;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.CrossReferences;
using FieldOps.Integration.Core.Text;

namespace FieldOps.Connectors.Salesforce;

/// <summary>
/// After a crash, looks for the CaseComment a <c>note</c> may already have written: the comments on its Case are read
/// (newest first, bounded) and searched for the operation's marker here, so no filter on the long text field is needed.
/// </summary>
public sealed partial class SalesforceConnector
{
    /// <summary>How many of a Case's newest comments are searched for the marker.</summary>
    internal const int EffectScanLimit = 200;

    public async Task<(EffectCheck Result, string? TargetId)> CheckEffectAsync(OutboundOperation operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (!IsNonIdempotent(operation))
            return (EffectCheck.NotApplied, null);
        var (resolved, parentId) = await ParentIdAsync(operation.Payload, cancellationToken).ConfigureAwait(false);
        if (!resolved)
            return (EffectCheck.NotApplied, null); // the Case id was never known, so the comment cannot have been sent
        if (parentId is null || !RecordId().IsMatch(parentId))
            return (EffectCheck.Unknown, null);
        var soql = $"SELECT Id, CommentBody FROM CaseComment WHERE ParentId = '{parentId}' ORDER BY CreatedDate DESC LIMIT {EffectScanLimit}";
        using var response = await api.QueryAsync(_options.ApiVersion, soql, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // A passing fault is the dispatcher's to retry; a refused query means we cannot tell.
            var outcome = SalesforceErrorClassifier.Classify((int)response.StatusCode, body, _options, usage);
            if (outcome.Kind == OutcomeKind.Permanent)
                return (EffectCheck.Unknown, null);
            throw new HttpRequestException($"Salesforce effect check: {outcome.Kind}: {outcome.Message}", null, response.StatusCode);
        }
        // Another comment on the Case may hold half a surrogate pair: read as U+FFFD, not an error at every check.
        using var document = JsonDocument.Parse(JsonSurrogates.Mend(body));
        var marker = Marker(operation.Id);
        var records = document.RootElement.GetProperty("records");
        foreach (var record in records.EnumerateArray())
        {
            if (record.TryGetProperty("CommentBody", out var text) && text.GetString()?.Contains(marker, StringComparison.Ordinal) == true)
                return (EffectCheck.Applied, record.GetProperty("Id").GetString());
        }
        return records.GetArrayLength() >= EffectScanLimit ? (EffectCheck.Unknown, null) : (EffectCheck.NotApplied, null);
    }

    /// <summary>
    /// The comment's ParentId. The dispatcher checks for the effect before it resolves <c>$xref</c> placeholders, so a
    /// placeholder is looked up here; (false, null) when it is still unknown.
    /// </summary>
    private async Task<(bool Resolved, string? ParentId)> ParentIdAsync(OperationPayload payload, CancellationToken cancellationToken)
    {
        var node = payload.Fields["ParentId"];
        if (node is null || XrefPlaceholder.TryRead(node) is not { } xref)
            return (true, payload.Field("ParentId"));
        if (crossReferences is null)
            return (true, null);
        var id = await crossReferences.FindAsync(xref.System, xref.Type, xref.SourceId, cancellationToken).ConfigureAwait(false);
        return (id is not null, id);
    }
}
