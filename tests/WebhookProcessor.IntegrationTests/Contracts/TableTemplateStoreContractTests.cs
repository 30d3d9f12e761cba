using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Contracts;

[Collection(AzuriteCollection.Name)]
public sealed class TableTemplateStoreContractTests(AzuriteServer azurite) : TemplateStoreContract
{
    protected override StoreSet CreateStores() => TableStores.Create(azurite);
}
