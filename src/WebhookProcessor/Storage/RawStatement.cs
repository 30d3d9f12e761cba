using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace WebhookProcessor.Storage;

/// <summary>
/// A statement prepared once and run through SQLite's C API with positional binds. Used only on the
/// intake's hot insert, where Microsoft.Data.Sqlite's per-execution reader and by-name parameter
/// lookups cost more than the insert itself; it runs inside the connection's current transaction.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;

    public RawStatement(SqliteConnection connection, string sql)
    {
        _database = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_database, sql, out _statement));
    }

    public RawStatement Bind(int position, string? value)
    {
        Check(value is null ? raw.sqlite3_bind_null(_statement, position) : raw.sqlite3_bind_text(_statement, position, value));
        return this;
    }

    public RawStatement Bind(int position, long? value)
    {
        Check(value is { } number ? raw.sqlite3_bind_int64(_statement, position, number) : raw.sqlite3_bind_null(_statement, position));
        return this;
    }

    /// <summary>Runs the statement to completion and resets it for the next use, whatever happens.</summary>
    public void Execute()
    {
        try
        {
            var result = raw.sqlite3_step(_statement);
            if (result is not raw.SQLITE_DONE and not raw.SQLITE_ROW)
            {
                throw Failure(result);
            }
        }
        finally
        {
            raw.sqlite3_reset(_statement);
            raw.sqlite3_clear_bindings(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw Failure(result);
        }
    }

    private SqliteException Failure(int result) =>
        new(raw.sqlite3_errmsg(_database).utf8_to_string() ?? $"SQLite error {result}", result);
}
