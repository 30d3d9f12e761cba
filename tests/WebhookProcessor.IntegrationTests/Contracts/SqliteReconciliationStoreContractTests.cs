using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Reconciliation;
using WebhookProcessor.Storage;

namespace WebhookProcessor.IntegrationTests.Contracts;

/// <summary>Each <see cref="Open"/> is a store with its own connections on one catalog file, as the CLI and the service have.</summary>
public sealed class SqliteReconciliationStoreContractTests : ReconciliationStoreContract
{
    private readonly TempFolder _folder = new("wp-reconciliation-");
    private readonly List<SqliteReconciliationStore> _opened = [];

    protected override IReconciliationStore Open()
    {
        var store = new SqliteReconciliationStore(new SqliteDatabase(_folder.File("catalog.db")));
        _opened.Add(store);
        return store;
    }

    protected override Task CleanUpAsync()
    {
        _opened.ForEach(s => s.Dispose());
        _folder.Dispose();
        return Task.CompletedTask;
    }
}
