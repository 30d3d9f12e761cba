using WebhookProcessor.Azure;
using Azure.Data.Tables;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Notifications;

namespace WebhookProcessor.IntegrationTests.Contracts;

[Collection(AzuriteCollection.Name)]
public sealed class TableNotificationStoreContractTests(AzuriteServer azurite) : NotificationStoreContract
{
    protected override StoreSet CreateStores() => TableStores.Create(azurite);

    [Fact]
    public async Task SaveOwner_OwnerWrittenBeforeClaimsExisted_StillClashes()
    {
        await using var tables = new AzuriteTables(azurite, "l");
        var (client, names) = (tables.Client, tables.Names);
        var store = new TableNotificationStore(client, names);
        Assert.Empty(await store.ListOwnersAsync());
        // An owner row as earlier versions wrote it: no claim row beside it.
        var legacy = new Owner { Id = "legacy", DisplayName = "L", Emails = ["l@example.com"], Match = new OwnerMatch("42", "promo_*") };
        await client.GetTableClient(names.Owners).AddEntityAsync(new TableEntity("owner", "legacy")
        {
            { "Document", NotificationRows.SerializeOwner(legacy) },
            { "UpdatedAt", DateTimeOffset.UnixEpoch },
        });

        var clash = await store.SaveOwnerAsync(legacy with { Id = "new" }, DateTimeOffset.UnixEpoch);

        Assert.Equal("legacy", clash.ClashingOwnerId);
        Assert.True((await store.SaveOwnerAsync(legacy with { DisplayName = "L2" }, DateTimeOffset.UnixEpoch)).Saved);
        // Claim and marker rows share the partition but are never listed as owners.
        Assert.Equal(["legacy"], (await store.ListOwnersAsync()).Select(o => o.Id));
        Assert.Equal(["legacy"], (await store.ListOwnersPageAsync(10, null)).Items.Select(o => o.Id));
    }
}
