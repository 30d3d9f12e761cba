using Microsoft.Data.Sqlite;

namespace WebhookProcessor.Storage;

/// <summary>Opens connections to one SQLite file with the settings durability depends on.</summary>
public sealed class SqliteDatabase
{
    private readonly string _connectionString;

    public SqliteDatabase(string filePath)
    {
        FilePath = System.IO.Path.GetFullPath(filePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(FilePath)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string FilePath { get; }

    /// <summary>
    /// WAL lets readers run beside the single writer; <c>synchronous=FULL</c> makes every commit
    /// fsync the log, so a committed transaction survives a crash or power cut. Checkpoints normally
    /// run beside the writer (<see cref="WalCheckpointer"/>), but under steady writes they never quite
    /// catch up, and only the writer's own automatic checkpoint lets the log start over from its
    /// beginning. <paramref name="autoCheckpointPages"/> sets how long the log grows before that.
    /// </summary>
    public SqliteConnection OpenWriter(int autoCheckpointPages = LargeLog)
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // Readers share this pool and set query_only, which stays with a pooled connection: a writer opened
        // after them (a store resolved on first use) may be handed one of theirs, so it is switched back here.
        Execute(connection, $"PRAGMA query_only=OFF; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA wal_autocheckpoint={autoCheckpointPages}; PRAGMA journal_size_limit=67108864; PRAGMA cache_size=-16384;");
        return connection;
    }

    /// <summary>64 MiB of 4 KiB pages: few checkpoints on the writer's thread, for large transactions.</summary>
    public const int LargeLog = 16384;

    /// <summary>
    /// 4 MiB: for many small commits. Once the log has started over, commits overwrite blocks the file
    /// already has instead of appending to it, and on ext4 that fsync costs about half as much.
    /// </summary>
    public const int SmallLog = 1024;

    /// <summary>Copies committed log pages into the database file without blocking the writer or readers.</summary>
    public void CheckpointPassive()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout=1000; PRAGMA wal_checkpoint(PASSIVE);");
    }

    public async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        Execute(connection, "PRAGMA busy_timeout=30000; PRAGMA query_only=ON;");
        return connection;
    }

    public static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Adds a column to a table made by an older version, once: <c>CREATE TABLE IF NOT EXISTS</c> leaves an
    /// existing table as it is. The names are the schema's own constants, never input.
    /// </summary>
    public static void AddColumnIfMissing(SqliteConnection connection, string table, string column, string definition, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT 1 FROM pragma_table_info('{table}') WHERE name = '{column}'";
        if (command.ExecuteScalar() is null)
        {
            command.CommandText = $"ALTER TABLE {table} ADD COLUMN {column} {definition}";
            command.ExecuteNonQuery();
        }
    }
}
