using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Storage;

namespace WebhookProcessor.IntegrationTests.Storage;

public sealed class SqliteDatabaseTests
{
    [Fact]
    public async Task OpenWriter_AfterAReaderWentBackToThePool_CanWrite()
    {
        using var folder = new TempFolder();
        var database = new SqliteDatabase(folder.File("shared.db"));
        using (var first = database.OpenWriter())
        {
            SqliteDatabase.Execute(first, "CREATE TABLE t (v INTEGER);");
        }

        // A reader sets query_only; returned to the pool, its connection is the next one handed out.
        await using (var reader = await database.OpenReaderAsync())
        {
            SqliteDatabase.Execute(reader, "SELECT count(*) FROM t;");
        }

        using var writer = database.OpenWriter();
        SqliteDatabase.Execute(writer, "INSERT INTO t (v) VALUES (1);");
        await using var check = await database.OpenReaderAsync();
        using var count = check.CreateCommand();
        count.CommandText = "SELECT count(*) FROM t;";
        Assert.Equal(1L, count.ExecuteScalar());
    }
}
