using Microsoft.Data.Sqlite;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Notifications;
using WebhookProcessor.Storage;

namespace WebhookProcessor.IntegrationTests.Contracts;

public sealed class SqliteNotificationStoreContractTests : NotificationStoreContract
{
    protected override StoreSet CreateStores() => SqliteStores.Create();

    [Fact]
    public async Task SaveOwner_FileFromBeforeMatchKeys_GetsThemAndStillFindsTheClash()
    {
        var folder = new TempFolder("wp-legacy-");
        var file = folder.File("catalog.db");
        try
        {
            // The owners table as earlier versions created it, with one owner in it.
            await using (var connection = new SqliteConnection($"Data Source={file}"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = """
                    CREATE TABLE owners (owner_id TEXT PRIMARY KEY, document TEXT NOT NULL, updated_at INTEGER NOT NULL);
                    INSERT INTO owners (owner_id, document, updated_at) VALUES ('legacy', @doc, 0);
                    """;
                command.Parameters.AddWithValue("@doc", NotificationRows.SerializeOwner(
                    new Owner { Id = "legacy", DisplayName = "L", Emails = ["l@example.com"], Match = new OwnerMatch("42", "promo_*") }));
                await command.ExecuteNonQueryAsync();
            }

            using var store = new SqliteNotificationStore(new SqliteDatabase(file));
            INotificationStore owners = store;

            Assert.Equal("legacy", (await owners.SaveOwnerAsync(new Owner { Id = "new", DisplayName = "N", Emails = ["n@example.com"], Match = new OwnerMatch("42", "Promo_*") }, DateTimeOffset.UnixEpoch)).ClashingOwnerId);
            Assert.Equal("legacy", Assert.Single(await owners.ListOwnersAsync()).Id);
        }
        finally
        {
            folder.Dispose();
        }
    }

    [Fact]
    public async Task SaveOwner_ClashCheck_IsAnIndexLookupNotAScan()
    {
        // Saving 20,000 owners took minutes while each save read every owner; the plan shows what one save costs.
        var folder = new TempFolder("wp-plan-");
        var file = folder.File("catalog.db");
        try
        {
            using (var store = new SqliteNotificationStore(new SqliteDatabase(file)))
            {
                await ((INotificationStore)store).SaveOwnerAsync(new Owner { Id = "a", DisplayName = "A", Emails = ["a@example.com"], Match = new OwnerMatch("1", null) }, DateTimeOffset.UnixEpoch);
            }

            await using var connection = new SqliteConnection($"Data Source={file}");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + SqliteNotificationStore.ClashQuery;
            command.Parameters.AddWithValue("@key", OwnerMatchKey.Of(new OwnerMatch("1", null)));
            command.Parameters.AddWithValue("@id", "b");
            var plan = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    plan.Add(reader.GetString(3));
                }
            }

            var detail = string.Join(" | ", plan);
            Assert.Contains("ix_owners_match", detail, StringComparison.Ordinal);
            Assert.DoesNotContain(plan, step => step.StartsWith("SCAN owners", StringComparison.Ordinal) && !step.Contains("INDEX", StringComparison.Ordinal));
        }
        finally
        {
            folder.Dispose();
        }
    }
}
