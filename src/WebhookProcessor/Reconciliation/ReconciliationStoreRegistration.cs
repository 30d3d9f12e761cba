using WebhookProcessor.Catalog;
using WebhookProcessor.Storage;

namespace WebhookProcessor.Reconciliation;

/// <summary>The SQLite <see cref="IReconciliationStore"/>, for a host that picks SQLite (see <c>Hosting/Providers</c>).</summary>
public static class ReconciliationStoreRegistration
{
    /// <summary>In the catalog's file, so every process using that catalog shares the account claims.</summary>
    public static IServiceCollection AddSqliteReconciliationStore(this IServiceCollection services)
    {
        services.AddSqliteStorage();
        services.AddSingleton<IReconciliationStore>(sp => new SqliteReconciliationStore(
            new SqliteDatabase(SqliteRegistration.DataFile(sp, CatalogRegistration.SqliteFileName))));
        return services;
    }
}
