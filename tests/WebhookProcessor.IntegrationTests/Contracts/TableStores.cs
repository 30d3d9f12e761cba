using Microsoft.Extensions.Logging.Abstractions;
using WebhookProcessor.Azure;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Contracts;

internal static class TableStores
{
    /// <summary>Stores on tables of their own (a fresh prefix), deleted at the end.</summary>
    public static StoreSet Create(AzuriteServer azurite)
    {
        var tables = new AzuriteTables(azurite, "c");
        var (client, names) = (tables.Client, tables.Names);
        var deadLetters = new TableDeadLetterStore(client, names);
        return new StoreSet(
            new TableTemplateStore(client, names, NullLogger<TableTemplateStore>.Instance),
            new TableNotificationStore(client, names),
            deadLetters,
            letters => deadLetters.AddAsync(letters),
            () => tables.DisposeAsync().AsTask());
    }
}
