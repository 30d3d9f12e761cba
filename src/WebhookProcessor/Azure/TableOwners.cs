using System.Text.Json;
using WebhookProcessor.AzureRest.Tables;
using WebhookProcessor.Notifications;

namespace WebhookProcessor.Azure;

/// <summary>Owners in one partition (there are few): the document as JSON, like the SQLite store.</summary>
internal sealed class TableOwners(TableClient table)
{
    private const string Partition = "owner";

    public async Task<IReadOnlyList<Owner>> ListAsync(CancellationToken cancellationToken)
    {
        var owners = new List<Owner>();
        await foreach (var row in table.QueryAsync(TableFilter.Create($"PartitionKey eq {Partition}"), cancellationToken: cancellationToken))
        {
            owners.Add(Read(row));
        }

        return owners;
    }

    public async Task<Owner?> GetAsync(string ownerId, CancellationToken cancellationToken) =>
        await table.GetEntityAsync(Partition, TableKey.Escape(ownerId), cancellationToken: cancellationToken) is { } row ? Read(row) : null;

    /// <summary>Insert first: a conflict means it existed, and it is replaced.</summary>
    public async Task<bool> UpsertAsync(Owner owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = new TableEntity(Partition, TableKey.Escape(owner.Id))
        {
            { "Document", JsonSerializer.Serialize(owner, NotificationRows.Json) },
            { "UpdatedAt", now },
        };
        if ((await table.InsertAsync(row, cancellationToken)).Succeeded)
        {
            return true;
        }

        await table.UpsertAsync(row, cancellationToken: cancellationToken);
        return false;
    }

    public async Task<bool> DeleteAsync(string ownerId, CancellationToken cancellationToken) =>
        (await table.DeleteEntityAsync(Partition, TableKey.Escape(ownerId), cancellationToken: cancellationToken)).Succeeded;

    private static Owner Read(TableEntity row) => NotificationRows.DeserializeOwner(row.GetString("Document")!);
}
