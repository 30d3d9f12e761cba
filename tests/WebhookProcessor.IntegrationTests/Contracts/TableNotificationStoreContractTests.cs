using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Notifications;

namespace WebhookProcessor.IntegrationTests.Contracts;

[Collection(AzuriteCollection.Name)]
public sealed class TableNotificationStoreContractTests(AzuriteServer azurite) : NotificationStoreContract
{
    protected override StoreSet CreateStores(NotificationOptions alerts) => TableStores.Create(azurite, alerts);
}
