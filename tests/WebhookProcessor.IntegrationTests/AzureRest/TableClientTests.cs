using System.Text;
using WebhookProcessor.AzureRest.Tables;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.AzureRest;

[Collection(AzuriteCollection.Name)]
public sealed class TableClientTests(AzuriteServer azurite) : IAsyncLifetime
{
    private TableClient _table = null!;

    public async Task InitializeAsync()
    {
        _table = azurite.CreateClient().GetTableClient(AzuriteServer.NewTableName());
        Assert.True(await _table.CreateIfNotExistsAsync());
    }

    public async Task DisposeAsync() => await _table.DeleteAsync();

    [Fact]
    public async Task CreateIfNotExists_TableExists_ReturnsFalse()
    {
        Assert.False(await _table.CreateIfNotExistsAsync());
    }

    [Fact]
    public async Task Crud_InsertGetUpdateDelete_RoundTripsEveryType()
    {
        var time = new DateTimeOffset(2026, 5, 1, 10, 11, 12, TimeSpan.FromHours(2)).AddTicks(1234567);
        var guid = Guid.NewGuid();
        var entity = new TableEntity("p", "r")
        {
            { "Text", "héllo 'quoted' ✓" },
            { "Int", 42 },
            { "Long", long.MaxValue },
            { "SmallLong", 5L },
            { "Double", 2.0 },
            { "Fraction", 0.1 },
            { "Flag", true },
            { "When", time },
            { "Bytes", new byte[] { 0, 1, 254, 255 } },
            { "Id", guid },
        };

        var inserted = await _table.InsertAsync(entity);
        Assert.True(inserted.Succeeded);
        Assert.NotNull(inserted.ETag);

        var read = (await _table.GetEntityAsync("p", "r"))!;
        Assert.Equal("héllo 'quoted' ✓", read.GetString("Text"));
        Assert.Equal(42, read.GetInt32("Int"));
        Assert.Equal(long.MaxValue, read.GetInt64("Long"));
        Assert.IsType<long>(read["SmallLong"]);
        Assert.IsType<double>(read["Double"]);
        Assert.Equal(2.0, read.GetDouble("Double"));
        Assert.Equal(0.1, read.GetDouble("Fraction"));
        Assert.True(read.GetBoolean("Flag"));
        Assert.Equal(time, read.GetDateTimeOffset("When"));
        Assert.Equal(new byte[] { 0, 1, 254, 255 }, read.GetBinary("Bytes"));
        Assert.Equal(guid, read.GetGuid("Id"));
        Assert.NotNull(read.Timestamp);
        Assert.Equal(inserted.ETag, read.ETag);

        read["Text"] = "changed";
        read.Remove("Int");
        Assert.True((await _table.UpdateAsync(read, read.ETag!)).Succeeded);
        var replaced = (await _table.GetEntityAsync("p", "r"))!;
        Assert.Equal("changed", replaced.GetString("Text"));
        Assert.False(replaced.Contains("Int"));

        var merge = new TableEntity("p", "r") { { "Extra", "x" } };
        Assert.True((await _table.UpsertAsync(merge, TableUpdateMode.Merge)).Succeeded);
        Assert.Equal(("changed", "x"), ((await _table.GetEntityAsync("p", "r"))!.GetString("Text"), (await _table.GetEntityAsync("p", "r"))!.GetString("Extra")));

        Assert.Equal(TableWriteOutcome.Success, (await _table.DeleteEntityAsync("p", "r")).Outcome);
        Assert.Null(await _table.GetEntityAsync("p", "r"));
        Assert.Equal(TableWriteOutcome.NotFound, (await _table.DeleteEntityAsync("p", "r")).Outcome);
    }

    [Fact]
    public async Task Insert_ExistingEntity_IsAConflictResult()
    {
        Assert.True((await _table.InsertAsync(new TableEntity("p", "dup") { { "N", 1 } })).Succeeded);

        var second = await _table.InsertAsync(new TableEntity("p", "dup") { { "N", 2 } });

        Assert.Equal(TableWriteOutcome.Conflict, second.Outcome);
        Assert.Equal(1, (await _table.GetEntityAsync("p", "dup"))!.GetInt32("N"));
    }

    [Fact]
    public async Task Update_WithStaleETag_IsPreconditionFailed()
    {
        var entity = new TableEntity("p", "etag") { { "N", 1 } };
        await _table.InsertAsync(entity);
        var stale = entity.ETag!;
        entity["N"] = 2;
        Assert.True((await _table.UpdateAsync(entity, stale)).Succeeded);

        entity["N"] = 3;
        var result = await _table.UpdateAsync(entity, stale);

        Assert.Equal(TableWriteOutcome.PreconditionFailed, result.Outcome);
        Assert.Equal(TableWriteOutcome.PreconditionFailed, (await _table.DeleteEntityAsync("p", "etag", stale)).Outcome);
        Assert.Equal(2, (await _table.GetEntityAsync("p", "etag"))!.GetInt32("N"));
        Assert.Equal(TableWriteOutcome.NotFound, (await _table.UpdateAsync(new TableEntity("p", "none"), "*")).Outcome);
    }

    [Fact]
    public async Task Query_MoreThanOnePage_FollowsContinuationsToTheEnd()
    {
        const int count = 1234;
        for (var start = 0; start < count; start += 100)
        {
            var operations = Enumerable.Range(start, Math.Min(100, count - start))
                .Select(i => TableBatchOperation.Insert(new TableEntity("many", i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture)) { { "I", i } }))
                .ToList();
            Assert.True((await _table.SubmitTransactionAsync(operations)).Succeeded);
        }

        var all = new List<TableEntity>();
        await foreach (var entity in _table.QueryAsync(TableFilter.Create($"PartitionKey eq {"many"}")))
        {
            all.Add(entity);
        }

        Assert.Equal(Enumerable.Range(0, count), all.Select(e => e.GetInt32("I")!.Value));

        var first = await _table.QueryPageAsync(TableFilter.Create($"PartitionKey eq {"many"}"));
        Assert.Equal(1000, first.Items.Count);
        Assert.NotNull(first.Continuation);
        var second = await _table.QueryPageAsync(TableFilter.Create($"PartitionKey eq {"many"}"), continuation: first.Continuation);
        Assert.Equal(count - 1000, second.Items.Count);
        Assert.Null(second.Continuation);

        var selected = await _table.QueryPageAsync(TableFilter.Create($"PartitionKey eq {"many"} and I ge {1230}"), maxPerPage: 2, select: ["I"]);
        Assert.Equal([1230, 1231], selected.Items.Select(e => e.GetInt32("I")!.Value));
        Assert.NotNull(selected.Continuation);
    }

    [Fact]
    public async Task Transaction_OneFailingOperation_AppliesNone()
    {
        await _table.InsertAsync(new TableEntity("batch", "exists"));

        var result = await _table.SubmitTransactionAsync(
        [
            TableBatchOperation.Insert(new TableEntity("batch", "a")),
            TableBatchOperation.Upsert(new TableEntity("batch", "b")),
            TableBatchOperation.Insert(new TableEntity("batch", "exists")),
            TableBatchOperation.Insert(new TableEntity("batch", "c")),
        ]);

        Assert.Equal(TableWriteOutcome.Conflict, result.Outcome);
        Assert.Equal(2, result.FailedIndex);
        Assert.Null(await _table.GetEntityAsync("batch", "a"));
        Assert.Null(await _table.GetEntityAsync("batch", "b"));
        Assert.Null(await _table.GetEntityAsync("batch", "c"));
    }

    [Fact]
    public async Task Transaction_AllOperationKinds_AreAppliedTogether()
    {
        var existing = new TableEntity("kinds", "update") { { "N", 1 } };
        await _table.InsertAsync(existing);
        await _table.InsertAsync(new TableEntity("kinds", "delete"));

        existing["N"] = 2;
        var result = await _table.SubmitTransactionAsync(
        [
            TableBatchOperation.Insert(new TableEntity("kinds", "insert")),
            TableBatchOperation.Upsert(new TableEntity("kinds", "merge") { { "M", "m" } }, TableUpdateMode.Merge),
            TableBatchOperation.Update(existing, existing.ETag!),
            TableBatchOperation.Delete("kinds", "delete"),
        ]);

        Assert.True(result.Succeeded);
        Assert.Equal(2, (await _table.GetEntityAsync("kinds", "update"))!.GetInt32("N"));
        Assert.NotNull(await _table.GetEntityAsync("kinds", "insert"));
        Assert.Equal("m", (await _table.GetEntityAsync("kinds", "merge"))!.GetString("M"));
        Assert.Null(await _table.GetEntityAsync("kinds", "delete"));
    }

    [Fact]
    public async Task Transaction_StaleETag_IsPreconditionFailedAtItsIndex()
    {
        var entity = new TableEntity("stale", "x") { { "N", 1 } };
        await _table.InsertAsync(entity);
        var stale = entity.ETag!;
        await _table.UpdateAsync(entity, stale);

        var result = await _table.SubmitTransactionAsync([TableBatchOperation.Insert(new TableEntity("stale", "y")), TableBatchOperation.Update(entity, stale)]);

        Assert.Equal(TableWriteOutcome.PreconditionFailed, result.Outcome);
        Assert.Equal(1, result.FailedIndex);
        Assert.Null(await _table.GetEntityAsync("stale", "y"));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("a/b\\c#d?e")]
    [InlineData("tab\there\u0001\u007f\u009f~tilde")]
    [InlineData("it's 50% + more & spaces=yes")]
    [InlineData("ünïcødé 日本 😀")]
    public async Task Keys_NeedingEscapes_RoundTripThroughInsertGetQueryAndTransaction(string raw)
    {
        var pk = TableKey.Escape(raw);
        var rk = TableKey.Escape(raw + "/row");
        Assert.True(TableKey.IsValid(pk) && TableKey.IsValid(rk));

        Assert.True((await _table.InsertAsync(new TableEntity(pk, rk) { { "Raw", raw } })).Succeeded);
        var read = (await _table.GetEntityAsync(pk, rk))!;
        Assert.Equal(raw, TableKey.Unescape(read.PartitionKey));
        Assert.Equal(raw + "/row", TableKey.Unescape(read.RowKey));

        var queried = await _table.QueryPageAsync(TableFilter.Create($"PartitionKey eq {pk} and RowKey eq {rk}"));
        Assert.Equal(raw, Assert.Single(queried.Items).GetString("Raw"));

        Assert.True((await _table.SubmitTransactionAsync([TableBatchOperation.Update(read, read.ETag!), TableBatchOperation.Insert(new TableEntity(pk, "second"))])).Succeeded);
        Assert.Equal(TableWriteOutcome.Success, (await _table.DeleteEntityAsync(pk, rk)).Outcome);
    }

    [Fact]
    public async Task LargeString_Of200KB_RoundTripsInChunks()
    {
        var text = string.Concat(Enumerable.Range(0, 200_000 / 20).Select(i => $"{i:D8}-ñ-😀-abcde,"));
        var entity = new TableEntity("large", "s");
        TableLargeProperty.SetString(entity, "Body", text);
        TableLargeProperty.SetBinary(entity, "Bytes", Encoding.UTF8.GetBytes(text[..100_000]));

        Assert.True((await _table.InsertAsync(entity)).Succeeded);

        var read = (await _table.GetEntityAsync("large", "s"))!;
        Assert.Equal(text, TableLargeProperty.GetString(read, "Body"));
        Assert.Equal(Encoding.UTF8.GetBytes(text[..100_000]), TableLargeProperty.GetBinary(read, "Bytes"));
    }

    [Fact]
    public void LargeString_OverOneMebibyte_SaysItDoesNotFit()
    {
        var entity = new TableEntity("large", "too");
        var error = Assert.Throws<TableEntityTooLargeException>(() => TableLargeProperty.SetString(entity, "Body", new string('x', 600_000)));
        Assert.Contains("1048576", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_ForbiddenKey_FailsWithStatusAndErrorCode()
    {
        var error = await Assert.ThrowsAsync<TableRequestException>(() => _table.InsertAsync(new TableEntity("p", "a/b")));

        Assert.Equal(400, error.Status);
        Assert.False(string.IsNullOrEmpty(error.ErrorCode));
        Assert.Contains(_table.Name, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TableConnection.DevelopmentAccountKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_WrongAccountKey_FailsWith403AndNoSecretInTheMessage()
    {
        const string wrongKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        var client = new TableServiceClient(azurite.ConnectionString.Replace(TableConnection.DevelopmentAccountKey, wrongKey, StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<TableRequestException>(() => client.GetTableClient(_table.Name).GetEntityAsync("p", "r"));

        Assert.Equal(403, error.Status);
        Assert.DoesNotContain(wrongKey, error.ToString(), StringComparison.Ordinal);
    }
}
