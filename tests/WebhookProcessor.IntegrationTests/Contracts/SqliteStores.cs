using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebhookProcessor.Catalog;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Notifications;
using WebhookProcessor.Queue;
using WebhookProcessor.Storage;

namespace WebhookProcessor.IntegrationTests.Contracts;

internal static class SqliteStores
{
    public static StoreSet Create()
    {
        var folder = new TempFolder("wp-contract-");
        var catalog = folder.File("catalog.db");
        // The notification store creates the outbox the template store writes to, as in the app.
        var notifications = new SqliteNotificationStore(new SqliteDatabase(catalog));
        var templates = new SqliteTemplateStore(new SqliteDatabase(catalog), TimeProvider.System, NullLogger<SqliteTemplateStore>.Instance);
        var queue = new SqliteEventQueue(new SqliteDatabase(folder.File("queue.db")), Options.Create(new QueueOptions()), TimeProvider.System, NullLogger<SqliteEventQueue>.Instance);
        queue.Start();
        return new StoreSet(
            templates,
            notifications,
            queue.Monitor,
            deadLetters => queue.EnqueueAsync(new IngestBatch([], deadLetters)),
            async () =>
            {
                await templates.DisposeAsync();
                notifications.Dispose();
                await queue.DisposeAsync();
                folder.Dispose();
            });
    }
}
