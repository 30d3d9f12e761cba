using WebhookProcessor.Azure;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.IntegrationTests.Contracts;

/// <summary>Each <see cref="Open"/> is a store with its own client on the same tables, as two instances have.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableReconciliationStoreContractTests(AzuriteServer azurite) : ReconciliationStoreContract
{
    private readonly AzuriteTables _tables = new(azurite, "r");

    protected override IReconciliationStore Open() => new TableReconciliationStore(azurite.CreateClient(), _tables.Names);

    protected override Task CleanUpAsync() => _tables.DisposeAsync().AsTask();
}
