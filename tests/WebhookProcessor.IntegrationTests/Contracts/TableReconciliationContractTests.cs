using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Contracts;

[Collection(AzuriteCollection.Name)]
public sealed class TableReconciliationContractTests(AzuriteServer azurite) : ReconciliationContract
{
    protected override StoreSet CreateStores() => TableStores.Create(azurite);
}
