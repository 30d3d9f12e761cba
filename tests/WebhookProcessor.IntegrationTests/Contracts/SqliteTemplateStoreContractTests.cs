namespace WebhookProcessor.IntegrationTests.Contracts;

public sealed class SqliteTemplateStoreContractTests : TemplateStoreContract
{
    protected override StoreSet CreateStores() => SqliteStores.Create();
}
