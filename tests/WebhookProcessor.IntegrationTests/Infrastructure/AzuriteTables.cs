using Azure.Data.Tables;
using WebhookProcessor.Azure;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// A client on the shared <see cref="AzuriteServer"/> and a set of table names no other test uses (a
/// fresh prefix); disposing deletes those tables, so the collection's server does not fill up.
/// </summary>
public sealed class AzuriteTables(AzuriteServer azurite, string prefix) : IAsyncDisposable
{
    public TableServiceClient Client { get; } = azurite.CreateClient();

    public TableNames Names { get; } = new(prefix + Guid.NewGuid().ToString("N")[..12]);

    public async ValueTask DisposeAsync()
    {
        foreach (var table in Names.All)
        {
            await Client.DeleteTableAsync(table);
        }
    }
}
