using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using WebhookProcessor.Catalog;
using WebhookProcessor.Notifications;
using WebhookProcessor.Queue;
using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.Azure;

/// <summary>
/// The Table Storage implementations of the stores: <see cref="ITemplateStore"/>,
/// <see cref="INotificationStore"/> and <see cref="IReconciliationStore"/>, and, for a queue without its own dead letters (Service Bus), the
/// dead-letter table as <see cref="IDeadLetterSink"/> and <see cref="IQueueMonitor"/>. The host registers
/// these instead of the SQLite ones, never as well. Expects <see cref="TimeProvider"/> registered.
/// </summary>
public static class TableStorageRegistration
{
    public const string TablePrefix = "wp";

    /// <summary>
    /// Registers <see cref="TableStorageOptions"/> (validated at start-up) and the stores. The
    /// <see cref="TableServiceClient"/> is registered with <c>AddAzureClients</c> and made from the options
    /// when first resolved: from the connection string when there is one, else for the endpoint with a
    /// <see cref="TokenCredential"/> from the container if there is one, else <see cref="DefaultAzureCredential"/>
    /// with <see cref="TableStorageOptions.ClientId"/> as its managed identity.
    /// </summary>
    public static IServiceCollection AddTableStorage(this IServiceCollection services)
    {
        services.AddOptions<TableStorageOptions>()
            .BindConfiguration(TableStorageOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) =>
            {
                if (string.IsNullOrWhiteSpace(options.ClientId))
                {
                    options.ClientId = configuration[TableStorageOptions.ClientIdVariable];
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TableStorageOptions>, TableStorageOptionsValidator>();
        services.AddAzureClients(clients => clients
            .AddClient<TableServiceClient, TableClientOptions>((clientOptions, credential, sp) =>
                CreateClient(sp.GetRequiredService<IOptions<TableStorageOptions>>().Value, credential, clientOptions))
            .WithCredential(sp => AzureCredentials.For(sp, sp.GetRequiredService<IOptions<TableStorageOptions>>().Value.ClientId)));
        var names = new TableNames(TablePrefix);
        services.AddSingleton(names);
        services.AddSingleton<ITemplateStore>(sp => new TableTemplateStore(
            sp.GetRequiredService<TableServiceClient>(),
            names,
            sp.GetRequiredService<ILogger<TableTemplateStore>>()));
        services.AddSingleton<INotificationStore>(sp => new TableNotificationStore(sp.GetRequiredService<TableServiceClient>(), names));
        services.AddSingleton<IReconciliationStore>(sp => new TableReconciliationStore(sp.GetRequiredService<TableServiceClient>(), names));
        services.AddSingleton(sp => new TableDeadLetterStore(sp.GetRequiredService<TableServiceClient>(), names));
        return services;
    }

    /// <summary>The dead-letter table as the queue's dead letters and ops view; needs <see cref="AddTableStorage"/>.</summary>
    public static IServiceCollection AddTableDeadLetters(this IServiceCollection services)
    {
        services.AddSingleton<IDeadLetterSink>(sp => sp.GetRequiredService<TableDeadLetterStore>());
        services.AddSingleton<IQueueMonitor>(sp => sp.GetRequiredService<TableDeadLetterStore>());
        return services;
    }

    /// <summary>The client for the options: the connection string when set (the credential is then unused), else the endpoint with <paramref name="credential"/>.</summary>
    internal static TableServiceClient CreateClient(TableStorageOptions options, TokenCredential credential, TableClientOptions clientOptions)
    {
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return new TableServiceClient(options.ConnectionString, clientOptions);
        }

        // Validation at start-up guarantees one of the two; this is only reached if it was bypassed.
        var endpoint = options.HttpsEndpoint
            ?? throw new OptionsValidationException(TableStorageOptions.SectionName, typeof(TableStorageOptions), new TableStorageOptionsValidator().Validate(null, options).Failures ?? []);
        return new TableServiceClient(endpoint, credential, clientOptions);
    }
}
