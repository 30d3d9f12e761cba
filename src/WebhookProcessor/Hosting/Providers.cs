using Microsoft.Extensions.Options;
using WebhookProcessor.Azure;
using WebhookProcessor.Catalog;
using WebhookProcessor.Functions;
using WebhookProcessor.Notifications;
using WebhookProcessor.Ops;
using WebhookProcessor.Processing;
using WebhookProcessor.Queue;
using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.Hosting;

/// <summary>
/// The one place that picks the implementations of the ports: <c>Queue:Provider</c> (<c>Sqlite</c> or
/// <c>ServiceBus</c>) and <c>Storage:Provider</c> (<c>Sqlite</c> or <c>AzureTables</c>) are read once
/// here, and each port gets exactly one registration. Features register only what does not depend on
/// the provider.
/// </summary>
public static class Providers
{
    public const string SqliteProvider = "Sqlite";
    public const string AzureTablesProvider = "AzureTables";
    public const string ServiceBusProvider = "ServiceBus";
    public const string QueueProviderKey = "Queue:Provider";
    public const string StorageProviderKey = "Storage:Provider";

    public static WebApplicationBuilder AddProviders(this WebApplicationBuilder builder)
    {
        var queue = Provider(builder.Configuration, QueueProviderKey, SqliteProvider, ServiceBusProvider);
        var storage = Provider(builder.Configuration, StorageProviderKey, SqliteProvider, AzureTablesProvider);
        if (queue == ServiceBusProvider && storage != AzureTablesProvider)
        {
            throw new OptionsValidationException(QueueProviderKey, typeof(string),
                [$"{QueueProviderKey} '{ServiceBusProvider}' needs {StorageProviderKey} '{AzureTablesProvider}': the catalog must be shared by every instance that receives from the queue, which a local SQLite file is not."]);
        }

        var services = builder.Services;
        if (storage == AzureTablesProvider)
        {
            services.AddTableStorage();
        }
        else
        {
            services.AddSqliteCatalog();
            services.AddSqliteNotifications();
            services.AddSqliteReconciliationStore();
        }

        if (queue == ServiceBusProvider)
        {
            // Service Bus delivers through the Functions host (ProcessTemplateEvent), or, with
            // Queue:ServiceBus:Receiver=Processor, to a ServiceBusProcessor in this process; there is no
            // IQueueConsumer either way. Intake and poison dead letters live in the Table store; ops
            // sees them and the broker's dead-letter sub-queue through one monitor.
            services.AddServiceBusQueue();
            services.AddTableDeadLetters();
            services.AddServiceBusDeadLetters();
            if (ReceiverMode(builder.Configuration) == ServiceBusReceiverMode.Processor)
            {
                services.AddServiceBusWorker();
            }
        }
        else
        {
            // The SQLite queue keeps its own dead letters, so it is also the dead-letter sink and the
            // monitor, whichever store holds the catalog.
            services.AddSqliteQueue();
            services.AddQueueWorker();
        }

        // Replays read and remove through the monitor and queue registered above, whichever they are.
        services.AddSingleton<IDeadLetterReplayer, DeadLetterReplayer>();
        return builder;
    }

    /// <summary>
    /// <c>Queue:ServiceBus:Receiver</c>, read here because it decides what is registered; an unknown value
    /// is left to the options validator, which names it at start-up.
    /// </summary>
    private static ServiceBusReceiverMode ReceiverMode(IConfiguration configuration) =>
        Enum.TryParse<ServiceBusReceiverMode>(configuration[$"{ServiceBusQueueOptions.SectionName}:{nameof(ServiceBusQueueOptions.Receiver)}"], ignoreCase: true, out var mode)
            ? mode
            : ServiceBusReceiverMode.FunctionsHost;

    /// <summary>The configured provider, spelled as in <paramref name="supported"/>; the first one when unset.</summary>
    private static string Provider(IConfiguration configuration, string key, params string[] supported)
    {
        var configured = configuration[key];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return supported[0];
        }

        return supported.FirstOrDefault(p => string.Equals(p, configured.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new OptionsValidationException(key, typeof(string), [$"{key} is '{configured}'; use one of: {string.Join(", ", supported)}."]);
    }
}
