using System.Text.Json;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.CrossReferences;

namespace FieldOps.Connectors.QuickBooks;

public sealed partial class QuickBooksConnector
{
    private const string EmailSent = "EmailSent";

    /// <summary>
    /// Emails the invoice once: <c>/send</c> has no idempotency key, so the invoice's <c>EmailStatus</c> is read first and
    /// an invoice already <c>EmailSent</c> counts as delivered without a second email.
    /// </summary>
    private async Task<DeliveryOutcome> SendAsync(OutboundOperation operation, QuickBooksPayload payload, CancellationToken cancellationToken)
    {
        var id = payload.Param("id");
        if (id is null)
            return DeliveryOutcome.Permanent("QuickBooks invoice send needs params.id.", ["id"]);
        var current = await _client.ReadAsync("Invoice", id, cancellationToken).ConfigureAwait(false);
        if (!current.IsSuccess)
            return QuickBooksOutcomes.Classify(current);
        if (current.Entity("Invoice") is not { } invoice)
            return QuickBooksOutcomes.Classify(current);
        if (invoice.EmailStatus == EmailSent)
            return DeliveryOutcome.Delivered(id, "Invoice");
        // Checked again as it is now: an invoice someone corrected in QuickBooks goes out when this row is replayed.
        if (QuickBooksInvoiceCheck.Compare(id, invoice, payload) is { } disagreement)
            return disagreement;

        var reply = await _client.SendInvoiceAsync(id, payload.Param("sendTo"), cancellationToken).ConfigureAwait(false);
        return reply.IsSuccess ? DeliveryOutcome.Delivered(id, "Invoice") : QuickBooksOutcomes.Classify(reply);
    }

    /// <summary>
    /// After a crash during a send: <c>EmailSent</c> means it went out (Applied); any other status means it did not.
    /// A refused read (e.g. the invoice was deleted) cannot tell; a passing failure escapes for the dispatcher to retry.
    /// The dispatcher checks before it resolves <c>$xref</c>s, so an invoice id still in placeholder form is looked up here.
    /// </summary>
    public async Task<(EffectCheck Result, string? TargetId)> CheckEffectAsync(OutboundOperation operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (operation.Operation != OperationNames.Send)
            return (EffectCheck.NotApplied, null);
        var id = await InvoiceIdAsync(operation, cancellationToken).ConfigureAwait(false);
        if (id is null)
            return (EffectCheck.Unknown, null);
        var current = await _client.ReadAsync("Invoice", id, cancellationToken).ConfigureAwait(false);
        if (current.IsSuccess)
            return current.Entity("Invoice")?.EmailStatus == EmailSent ? (EffectCheck.Applied, id) : (EffectCheck.NotApplied, null);
        var outcome = QuickBooksOutcomes.Classify(current);
        if (outcome.Kind is OutcomeKind.Permanent or OutcomeKind.ConnectionBroken)
            return (EffectCheck.Unknown, null);
        throw new HttpRequestException($"Could not read invoice {id} to check its EmailStatus: {outcome.Message}");
    }

    private async Task<string?> InvoiceIdAsync(OutboundOperation operation, CancellationToken cancellationToken)
    {
        if (operation.Payload.Params["id"] is not { } id)
            return null;
        if (XrefPlaceholder.TryRead(id) is { } placeholder)
            return await _crossReferences.FindAsync(placeholder.System, placeholder.Type, placeholder.SourceId, cancellationToken).ConfigureAwait(false);
        return id.GetValueKind() switch
        {
            JsonValueKind.String => id.GetValue<string>(),
            JsonValueKind.Number => id.ToJsonString(),
            _ => null,
        };
    }
}
