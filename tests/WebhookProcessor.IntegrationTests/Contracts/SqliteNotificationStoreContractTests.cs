using WebhookProcessor.Notifications;

namespace WebhookProcessor.IntegrationTests.Contracts;

public sealed class SqliteNotificationStoreContractTests : NotificationStoreContract
{
    protected override StoreSet CreateStores(NotificationOptions alerts) => SqliteStores.Create(alerts);
}
