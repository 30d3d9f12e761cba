using Microsoft.Extensions.Options;
using WebhookProcessor.Catalog;
using WebhookProcessor.Storage;

namespace WebhookProcessor.Notifications;

/// <summary>
/// Owners and alerts: settings, the owner seed, the Teams and e-mail channels, their dispatcher and the
/// digest, over whichever <see cref="INotificationStore"/> the host picked; and the SQLite store.
/// </summary>
public static class NotificationsRegistration
{
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>();
        builder.Services.AddSingleton<AlertSignals>();
        builder.Services.AddAlertChannels();
        // The seed does its work in StartingAsync, before any hosted service starts, so its place in
        // this list does not matter.
        builder.Services.AddHostedService<OwnerSeed>();
        builder.Services.AddSingleton<AlertDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AlertDispatcher>());
        builder.Services.AddSingleton<DigestService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DigestService>());
        return builder;
    }

    /// <summary>The SQLite <see cref="INotificationStore"/>: owners and the alert outbox in the catalog's file.</summary>
    public static IServiceCollection AddSqliteNotifications(this IServiceCollection services)
    {
        services.AddSqliteStorage();
        services.AddSingleton<INotificationStore>(sp => new SqliteNotificationStore(
            new SqliteDatabase(SqliteRegistration.DataFile(sp, CatalogRegistration.SqliteFileName))));
        return services;
    }
}
