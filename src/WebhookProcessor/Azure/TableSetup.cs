using Azure.Data.Tables;

namespace WebhookProcessor.Azure;

/// <summary>Creates the stores' tables once per process, on first use; a failed attempt is tried again next time.</summary>
internal sealed class TableSetup(TableServiceClient service, TableNames names)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _done;

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (_done)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_done)
            {
                foreach (var table in names.All)
                {
                    await service.GetTableClient(table).CreateIfNotExistsAsync(cancellationToken);
                }

                _done = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
