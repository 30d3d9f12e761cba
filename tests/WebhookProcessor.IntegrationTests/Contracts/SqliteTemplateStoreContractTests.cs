using WebhookProcessor.Notifications;

namespace WebhookProcessor.IntegrationTests.Contracts;

public sealed class SqliteTemplateStoreContractTests : TemplateStoreContract
{
    protected override StoreSet CreateStores(NotificationOptions alerts) => SqliteStores.Create(alerts);
}
