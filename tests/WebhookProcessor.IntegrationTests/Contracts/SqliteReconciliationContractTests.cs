namespace WebhookProcessor.IntegrationTests.Contracts;

public sealed class SqliteReconciliationContractTests : ReconciliationContract
{
    protected override StoreSet CreateStores() => SqliteStores.Create();
}
