using Microsoft.Extensions.Options;
using WebhookProcessor.Azure;
using WebhookProcessor.Catalog;
using WebhookProcessor.Functions;
using WebhookProcessor.Notifications;
using WebhookProcessor.Ops;
using WebhookProcessor.Processing;
using WebhookProcessor.Queue;
using WebhookProcessor.Security;
using WebhookProcessor.Storage;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.Hosting;

/// <summary>Each feature's registration, called in order from <see cref="WebhookProcessorApp"/>.</summary>
public static class ServiceRegistration
{
    public const string SqliteProvider = "Sqlite";
    public const string AzureTablesProvider = "AzureTables";
    public const string ServiceBusProvider = "ServiceBus";
    public const string QueueProviderKey = "Queue:Provider";
    public const string StorageProviderKey = "Storage:Provider";

    public static WebApplicationBuilder AddHosting(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        return builder;
    }

    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetaOptions>().BindConfiguration(MetaOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MetaOptions>, MetaOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<MetaOptions>, DevelopmentSecretsValidator>();
        builder.Services.AddSingleton(sp => new SignatureVerifier(sp.GetRequiredService<IOptions<MetaOptions>>().Value.AppSecrets));
        builder.Services.AddSingleton<WebhookIntake>();
        // Kestrel's own ceiling sits just above the webhook limit so oversized bodies stop while streaming.
        var maxBody = builder.Configuration.GetValue<int?>("Meta:MaxBodyBytes") ?? new MetaOptions().MaxBodyBytes;
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxBody);
        return builder;
    }

    /// <summary>
    /// Limits on unauthenticated callers (<c>RateLimiting</c>), and request logging that keeps secrets and
    /// control characters out of the log.
    /// </summary>
    public static WebApplicationBuilder AddRequestProtection(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitingOptions>().BindConfiguration(RateLimitingOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RateLimitingOptions>, RateLimitingOptionsValidator>();
        builder.Services.AddSingleton<RefusalLimiter>();
        builder.Services.AddHostedService<RefusalSummaryService>();
        builder.Services.AddRequestLogging();
        builder.Services.AddExceptionHandler<ClientErrorHandler>();
        return builder;
    }

    public static WebApplicationBuilder AddEventQueue(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TemplateEventProcessor>();
        if (Provider(builder.Configuration, QueueProviderKey, SqliteProvider, ServiceBusProvider) == ServiceBusProvider)
        {
            // Service Bus receives through the Functions host (ProcessTemplateEvent); there is no worker
            // here. Intake dead letters and the ops view of them live in the Table store.
            if (Provider(builder.Configuration, StorageProviderKey, SqliteProvider, AzureTablesProvider) != AzureTablesProvider)
            {
                throw new OptionsValidationException(QueueProviderKey, typeof(string),
                    [$"{QueueProviderKey} '{ServiceBusProvider}' needs {StorageProviderKey} '{AzureTablesProvider}': Service Bus runs under the Functions host, where a local SQLite file would not last."]);
            }

            builder.Services.AddServiceBusQueue();
            builder.Services.AddSingleton<IChangeMessageDecoder>(IChangeMessageDecoder.From(ChangeMessageCodec.Decode));
            return builder;
        }

        builder.Services.AddOptions<QueueOptions>().BindConfiguration(QueueOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<QueueOptions>, QueueOptionsValidator>();
        AddSqliteOptions(builder.Services);
        builder.Services.AddSingleton(sp => new SqliteEventQueue(
            new SqliteDatabase(Path.Combine(DataFolder(sp), "queue.db")),
            sp.GetRequiredService<IOptions<QueueOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SqliteEventQueue>>()));
        builder.Services.AddSingleton<IEventQueue>(sp => sp.GetRequiredService<SqliteEventQueue>());
        builder.Services.AddSingleton<IQueueConsumer>(sp => sp.GetRequiredService<SqliteEventQueue>());
        builder.Services.AddSingleton<IQueueMonitor>(sp => sp.GetRequiredService<SqliteEventQueue>().Monitor);
        builder.Services.AddSingleton<IDeadLetterSink>(sp => sp.GetRequiredService<SqliteEventQueue>());
        // The queue's writer thread starts with the host, before the worker that consumes it.
        builder.Services.AddHostedService<SqliteEventQueueService>();
        builder.Services.AddHostedService<QueueWorker>();
        return builder;
    }

    public static WebApplicationBuilder AddCatalog(this WebApplicationBuilder builder)
    {
        Provider(builder.Configuration, StorageProviderKey, SqliteProvider, AzureTablesProvider);
        AddSqliteOptions(builder.Services);
        builder.Services.AddOptions<HistoryOptions>().BindConfiguration(HistoryOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HistoryOptions>, HistoryOptionsValidator>();
        builder.Services.AddSingleton<ITemplateStore>(sp => new SqliteTemplateStore(
            new SqliteDatabase(CatalogFile(sp)),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SqliteTemplateStore>>()));
        builder.Services.AddHostedService<HistoryRetentionService>();
        return builder;
    }

    /// <summary>Owners, the alert outbox in the catalog's file, the Teams and e-mail senders and their dispatcher.</summary>
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<NotificationOptions>, DevelopmentSecretsValidator>();
        builder.Services.AddSingleton<AlertSignals>();
        builder.Services.AddSingleton<INotificationStore>(sp => new SqliteNotificationStore(new SqliteDatabase(CatalogFile(sp))));
        builder.Services.AddAlertChannels();
        // Hosted services start in registration order, and the owners must be in place before the queue
        // worker routes its first alert, so the seed goes to the front of the list.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, OwnerSeed>());
        builder.Services.AddSingleton<AlertDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AlertDispatcher>());
        builder.Services.AddSingleton<DigestService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DigestService>());
        return builder;
    }

    /// <summary>
    /// With <c>Storage:Provider</c> <c>AzureTables</c>: the Table stores replace the SQLite catalog,
    /// outbox and dead letters (registered last, so they are the ones resolved; the SQLite factories
    /// are never called). <c>Storage:Tables:ConnectionString</c> (Shared Key, Azurite) or
    /// <c>Storage:Tables:Endpoint</c> with Microsoft Entra ID (the managed identity named by
    /// <c>AZURE_CLIENT_ID</c>, else the default credential chain).
    /// </summary>
    public static WebApplicationBuilder AddAzureStorage(this WebApplicationBuilder builder)
    {
        if (Provider(builder.Configuration, StorageProviderKey, SqliteProvider, AzureTablesProvider) != AzureTablesProvider)
        {
            return builder;
        }

        var connectionString = builder.Configuration["Storage:Tables:ConnectionString"];
        var endpoint = builder.Configuration["Storage:Tables:Endpoint"];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            builder.Services.AddTableStores(connectionString);
        }
        else if (Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps)
        {
            var clientId = builder.Configuration["AZURE_CLIENT_ID"];
            global::Azure.Core.TokenCredential credential = string.IsNullOrWhiteSpace(clientId)
                ? new global::Azure.Identity.DefaultAzureCredential()
                : new global::Azure.Identity.ManagedIdentityCredential(global::Azure.Identity.ManagedIdentityId.FromUserAssignedClientId(clientId));
            builder.Services.AddTableStores(uri, credential);
        }
        else
        {
            throw new OptionsValidationException("Storage:Tables", typeof(string),
                [$"{StorageProviderKey} is '{AzureTablesProvider}': set Storage:Tables:ConnectionString (account key or UseDevelopmentStorage=true) or Storage:Tables:Endpoint (an https table endpoint such as https://<account>.table.core.windows.net/)."]);
        }

        builder.Services.AddSingleton<IDeadLetterSink>(sp => sp.GetRequiredService<TableDeadLetterStore>());
        return builder;
    }

    public static WebApplicationBuilder AddOps(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OpsOptions>().BindConfiguration(OpsOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OpsOptions>, OpsOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<OpsOptions>, DevelopmentSecretsValidator>();
        builder.Services.AddSingleton<ApiKeyFilter>();
        return builder;
    }

    /// <summary>Both SQLite stores need these; registering them once keeps each validation failure reported once.</summary>
    private static void AddSqliteOptions(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<SqliteOptions>)))
        {
            return;
        }

        services.AddOptions<SqliteOptions>().BindConfiguration(SqliteOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SqliteOptions>, SqliteOptionsValidator>();
    }

    private static string CatalogFile(IServiceProvider services) => Path.Combine(DataFolder(services), "catalog.db");

    private static string DataFolder(IServiceProvider services)
    {
        var configured = services.GetRequiredService<IOptions<SqliteOptions>>().Value.Path;
        return Path.GetFullPath(configured, services.GetRequiredService<IHostEnvironment>().ContentRootPath);
    }

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
