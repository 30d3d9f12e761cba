using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Notifications;

namespace WebhookProcessor.IntegrationTests.Contracts;

[Collection(AzuriteCollection.Name)]
public sealed class TableTemplateStoreContractTests(AzuriteServer azurite) : TemplateStoreContract
{
    protected override StoreSet CreateStores(NotificationOptions alerts) => TableStores.Create(azurite, alerts);
}
