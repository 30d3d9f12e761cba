using System.Text.Json;
using Azure.Data.Tables;
using WebhookProcessor.Notifications;
using WebhookProcessor.Storage;

namespace WebhookProcessor.Azure;

/// <summary>
/// Owners in one partition: the document as JSON, like the SQLite store. Beside each owner row, in the
/// same partition, a claim row keyed by its match (<see cref="OwnerMatchKey"/>) names the owner holding
/// that match; both are written in one entity group transaction, so a save finds a clash with one point
/// read and two owners can never both win the same match. Claim keys start with <c>~~</c>, which no
/// escaped owner id can (<see cref="TableKey"/> turns every <c>~</c> into <c>~7E</c>), so owner rows are
/// exactly the keys below <c>~~</c> or above <c>~~~</c>.
/// </summary>
internal sealed class TableOwners(TableClient table)
{
    private const string Partition = "owner";
    private const string ClaimPrefix = "~~";
    private const string ClaimsEnd = "~~~";

    /// <summary>Written once every owner saved before claims existed has one (see <see cref="EnsureClaimsAsync"/>).</summary>
    private const string ClaimsBackfilled = ClaimPrefix + "marker-claims-backfilled";

    private const int MaxSaveAttempts = 10;

    private static readonly string OwnerRows = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and (RowKey lt {ClaimPrefix} or RowKey gt {ClaimsEnd})");

    private readonly SemaphoreSlim _backfillGate = new(1, 1);
    private volatile bool _claimsReady;

    public async Task<IReadOnlyList<Owner>> ListAsync(CancellationToken cancellationToken)
    {
        var owners = new List<Owner>();
        await foreach (var row in table.AllAsync(OwnerRows, cancellationToken: cancellationToken))
        {
            owners.Add(Read(row));
        }

        return owners;
    }

    public async Task<Page<Owner>> ListPageAsync(int limit, string? cursor, CancellationToken cancellationToken)
    {
        var filter = cursor is null ? OwnerRows : TableFilters.And(OwnerRows, TableClient.CreateQueryFilter($"RowKey gt {TableRowKeys.DecodeCursor(cursor)}"));
        var rows = await TablePaging.TakeAsync(table, filter, limit + 1, cancellationToken);
        return Page.FromOneExtra(rows, limit, r => TableRowKeys.EncodeCursor(r.RowKey)).Select(Read);
    }

    public async Task<Owner?> GetAsync(string ownerId, CancellationToken cancellationToken) =>
        await table.FindAsync(Partition, TableKey.Escape(ownerId), cancellationToken: cancellationToken) is { } row ? Read(row) : null;

    /// <summary>
    /// Reads the owner row and the claim of the new match, then writes the owner, takes the claim and
    /// frees the old match's claim in one transaction, conditional on what was read; if anyone wrote in
    /// between, it reads again.
    /// </summary>
    public async Task<OwnerSaveResult> SaveAsync(Owner owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await EnsureClaimsAsync(cancellationToken);
        var ownerKey = TableKey.Escape(owner.Id);
        var claimKey = ClaimKey(owner.Match);
        for (var attempt = 1; attempt <= MaxSaveAttempts; attempt++)
        {
            var current = await table.FindAsync(Partition, ownerKey, cancellationToken: cancellationToken);
            var claim = await table.FindAsync(Partition, claimKey, cancellationToken: cancellationToken);
            var operations = new List<TableTransactionAction>();
            if (claim is null)
            {
                operations.Add(new(TableTransactionActionType.Add, Claim(claimKey, owner.Id)));
            }
            else if (claim.ReadString("OwnerId") is { } holder && holder != owner.Id)
            {
                if (await HoldsAsync(holder, claimKey, cancellationToken))
                {
                    return OwnerSaveResult.Clash(holder);
                }

                // A claim its owner no longer backs (left by the one-time backfill racing an edit): take it over.
                operations.Add(new(TableTransactionActionType.UpdateReplace, Claim(claimKey, owner.Id), claim.ETag));
            }

            if (current is not null && ClaimKey(Read(current).Match) is var oldKey && oldKey != claimKey
                && await table.FindAsync(Partition, oldKey, cancellationToken: cancellationToken) is { } oldClaim
                && oldClaim.ReadString("OwnerId") == owner.Id)
            {
                operations.Add(new(TableTransactionActionType.Delete, new TableEntity(Partition, oldKey), oldClaim.ETag));
            }

            var row = new TableEntity(Partition, ownerKey)
            {
                { "Document", JsonSerializer.Serialize(owner, NotificationRows.Json) },
                { "UpdatedAt", now },
            };
            operations.Add(current is null ? new(TableTransactionActionType.Add, row) : new(TableTransactionActionType.UpdateReplace, row, current.ETag));
            if ((await table.TransactAsync(operations, cancellationToken)).Succeeded)
            {
                return new OwnerSaveResult(Created: current is null);
            }
        }

        throw new InvalidOperationException($"Owner '{owner.Id}' kept changing while it was saved; gave up after {MaxSaveAttempts} attempts.");
    }

    public async Task<bool> DeleteAsync(string ownerId, CancellationToken cancellationToken)
    {
        var ownerKey = TableKey.Escape(ownerId);
        for (var attempt = 1; attempt <= MaxSaveAttempts; attempt++)
        {
            if (await table.FindAsync(Partition, ownerKey, cancellationToken: cancellationToken) is not { } current)
            {
                return false;
            }

            var operations = new List<TableTransactionAction> { new(TableTransactionActionType.Delete, new TableEntity(Partition, ownerKey), current.ETag) };
            var claimKey = ClaimKey(Read(current).Match);
            if (await table.FindAsync(Partition, claimKey, cancellationToken: cancellationToken) is { } claim && claim.ReadString("OwnerId") == ownerId)
            {
                operations.Add(new(TableTransactionActionType.Delete, new TableEntity(Partition, claimKey), claim.ETag));
            }

            if ((await table.TransactAsync(operations, cancellationToken)).Succeeded)
            {
                return true;
            }
        }

        throw new InvalidOperationException($"Owner '{ownerId}' kept changing while it was deleted; gave up after {MaxSaveAttempts} attempts.");
    }

    private static string ClaimKey(OwnerMatch match) => ClaimPrefix + OwnerMatchKey.Hash(match);

    private static TableEntity Claim(string claimKey, string ownerId) => new(Partition, claimKey) { { "OwnerId", ownerId } };

    private static Owner Read(TableEntity row) => NotificationRows.DeserializeOwner(row.ReadString("Document")!);

    private async Task<bool> HoldsAsync(string ownerId, string claimKey, CancellationToken cancellationToken) =>
        await table.FindAsync(Partition, TableKey.Escape(ownerId), cancellationToken: cancellationToken) is { } row
        && ClaimKey(Read(row).Match) == claimKey;

    /// <summary>
    /// Owners saved before claims existed get theirs, once per table: a marker row says it was done, so
    /// later processes pay one point read. Where such owners already share a match, the first keeps the claim.
    /// </summary>
    private async Task EnsureClaimsAsync(CancellationToken cancellationToken)
    {
        if (_claimsReady)
        {
            return;
        }

        await _backfillGate.WaitAsync(cancellationToken);
        try
        {
            if (!_claimsReady && await table.FindAsync(Partition, ClaimsBackfilled, ["RowKey"], cancellationToken) is null)
            {
                await foreach (var row in table.AllAsync(OwnerRows, ["RowKey", "Document"], cancellationToken))
                {
                    // A conflict means a claim for this match exists already: nothing to add.
                    await table.InsertAsync(Claim(ClaimKey(Read(row).Match), TableKey.Unescape(row.RowKey)), cancellationToken);
                }

                await table.UpsertAsync(new TableEntity(Partition, ClaimsBackfilled), cancellationToken);
            }

            _claimsReady = true;
        }
        finally
        {
            _backfillGate.Release();
        }
    }
}
