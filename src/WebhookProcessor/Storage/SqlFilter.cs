using System.Text;
using Microsoft.Data.Sqlite;

namespace WebhookProcessor.Storage;

internal static class SqlFilter
{
    /// <summary>Adds <c>AND column = @column</c> with its parameter when <paramref name="value"/> is set.</summary>
    public static void Equal(SqliteCommand command, StringBuilder where, string column, object? value)
    {
        if (value is null)
        {
            return;
        }

        where.Append(" AND ").Append(column).Append(" = @").Append(column);
        command.Parameters.AddWithValue("@" + column, value);
    }
}
