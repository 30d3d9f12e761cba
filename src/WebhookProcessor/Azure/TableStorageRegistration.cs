using Azure.Core;
using WebhookProcessor.AzureRest.Tables;
using WebhookProcessor.Catalog;
using WebhookProcessor.Notifications;
using WebhookProcessor.Queue;

namespace WebhookProcessor.Azure;

/// <summary>
/// Registers the Table Storage stores in place of the SQLite ones: <see cref="ITemplateStore"/>,
/// <see cref="INotificationStore"/> and, for ops, <see cref="IQueueMonitor"/> (with the dead-letter table).
/// Call it after <c>AddCatalog</c>/<c>AddNotifications</c>/<c>AddEventQueue</c>: the last registration of
/// an interface is the one resolved. Expects <see cref="TimeProvider"/> registered.
/// </summary>
public static class TableStorageRegistration
{
    /// <param name="connectionString">A storage connection string with an account key, or <c>UseDevelopmentStorage=true</c>.</param>
    public static IServiceCollection AddTableStores(this IServiceCollection services, string connectionString, string tablePrefix = "wp") =>
        services.AddTableStores(sp => new TableServiceClient(connectionString, Options(sp)), tablePrefix);

    /// <summary>With Entra ID (managed identity): the identity needs Storage Table Data Contributor on the account.</summary>
    public static IServiceCollection AddTableStores(this IServiceCollection services, Uri endpoint, TokenCredential credential, string tablePrefix = "wp") =>
        services.AddTableStores(sp => new TableServiceClient(endpoint, credential, Options(sp)), tablePrefix);

    private static IServiceCollection AddTableStores(this IServiceCollection services, Func<IServiceProvider, TableServiceClient> client, string tablePrefix)
    {
        var names = new TableNames(tablePrefix);
        services.AddSingleton(client);
        services.AddSingleton(names);
        services.AddSingleton<ITemplateStore>(sp => new TableTemplateStore(
            sp.GetRequiredService<TableServiceClient>(),
            names,
            sp.GetRequiredService<ILogger<TableTemplateStore>>()));
        services.AddSingleton<INotificationStore>(sp => new TableNotificationStore(sp.GetRequiredService<TableServiceClient>(), names));
        services.AddSingleton(sp => new TableDeadLetterStore(sp.GetRequiredService<TableServiceClient>(), names));
        services.AddSingleton<IQueueMonitor>(sp => sp.GetRequiredService<TableDeadLetterStore>());
        return services;
    }

    private static TableClientOptions Options(IServiceProvider services) => new() { TimeProvider = services.GetRequiredService<TimeProvider>() };
}
