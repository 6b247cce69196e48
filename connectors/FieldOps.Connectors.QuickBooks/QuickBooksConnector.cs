using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.CrossReferences;
using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>
/// QuickBooks Online: find-or-create Customer, create Invoice (and other entities) with <c>requestid</c>, sparse update
/// with the current <c>SyncToken</c>, and send an invoice at most once (docs/operations.md, "quickbooks").
/// </summary>
public sealed partial class QuickBooksConnector : IConnector, IEffectChecker
{
    public const string ConnectorName = "quickbooks";
    private const string Invoice = "Invoice";

    private readonly QuickBooksClient _client;
    private readonly QuickBooksCustomerUpsert _customers;
    private readonly QuickBooksItemResolver _items;
    private readonly IOptions<QuickBooksOptions> _options;
    private readonly ICrossReferenceStore _crossReferences;
    private readonly QuickBooksCompanySetupReader _setup;
    private readonly QuickBooksTaxRates _taxRates;

    internal QuickBooksConnector(QuickBooksClient client, QuickBooksCustomerUpsert customers, QuickBooksItemResolver items,
        IOptions<QuickBooksOptions> options, ICrossReferenceStore crossReferences, QuickBooksCompanySetupReader setup, QuickBooksTaxRates taxRates)
    {
        _setup = setup;
        _taxRates = taxRates;
        _client = client;
        _customers = customers;
        _items = items;
        _options = options;
        _crossReferences = crossReferences;
    }

    public string Name => ConnectorName;

    /// <summary>Only the invoice email is not idempotent: every call sends an email.</summary>
    public bool IsNonIdempotent(OutboundOperation operation) => operation.Operation == OperationNames.Send;

    public Task<DeliveryOutcome> DeliverAsync(OutboundOperation operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var payload = QuickBooksPayload.From(operation);
        return (operation.Operation, operation.ObjectType) switch
        {
            (OperationNames.Upsert, "Customer") => _customers.UpsertAsync(operation, payload, cancellationToken),
            (OperationNames.Create, _) => CreateAsync(operation, payload, cancellationToken),
            (OperationNames.Update, _) => UpdateAsync(operation, payload, cancellationToken),
            (OperationNames.Send, "Invoice") => SendAsync(operation, payload, cancellationToken),
            _ => Task.FromResult(DeliveryOutcome.Permanent(
                $"The quickbooks connector does not do '{operation.Operation}' on '{operation.ObjectType}' (see docs/operations.md).")),
        };
    }

    private async Task<DeliveryOutcome> CreateAsync(OutboundOperation operation, QuickBooksPayload payload, CancellationToken cancellationToken)
    {
        var body = payload.Fields;
        var isInvoice = operation.ObjectType == Invoice;
        if (isInvoice && await CheckCompanyAsync(payload, cancellationToken).ConfigureAwait(false) is { } refused)
            return refused;
        if (isInvoice)
            QuickBooksInvoiceTax.NameItemCodes(body, _options.Value.Tax);
        if (await _items.ResolveAsync(body, cancellationToken).ConfigureAwait(false) is { } unresolved)
            return unresolved;
        if (isInvoice && QuickBooksInvoiceTax.Apply(body, _options.Value) is { } untaxable)
            return untaxable;
        if (isInvoice && await AddTaxLinesAsync(body, cancellationToken).ConfigureAwait(false) is { } untaxed)
            return untaxed;
        var reply = await _client.WriteAsync(operation.ObjectType, QuickBooksRequestId.For(operation), body, cancellationToken).ConfigureAwait(false);
        if (!reply.IsSuccess || reply.Entity(operation.ObjectType) is not { Id: { } id } created)
            return QuickBooksOutcomes.Classify(reply);
        return isInvoice && QuickBooksInvoiceCheck.Compare(id, created, payload) is { } disagreement
            ? disagreement
            : DeliveryOutcome.Delivered(id, operation.ObjectType);
    }
}
