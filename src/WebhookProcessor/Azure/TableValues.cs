using Azure.Data.Tables;

namespace WebhookProcessor.Azure;

/// <summary>
/// Typed reads of entity properties. The SDK's own getters throw when the stored EDM type differs from
/// the one asked for; these widen what is safe to widen (an Int32 read as Int64: the service cannot tell
/// a small Int64 sent without its annotation from an Int32), so rows written by any earlier version read.
/// </summary>
internal static class TableValues
{
    /// <summary>The dictionary keys of an SDK entity that are not properties of ours.</summary>
    public static bool IsSystem(string name) =>
        name is "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag" || name.StartsWith("odata.", StringComparison.Ordinal);

    public static string? ReadString(this TableEntity entity, string name) => Value(entity, name) switch
    {
        null => null,
        string s => s,
        var other => throw WrongType(name, other, "String"),
    };

    public static long? ReadInt64(this TableEntity entity, string name) => Value(entity, name) switch
    {
        null => null,
        long l => l,
        int i => i,
        var other => throw WrongType(name, other, "Int64"),
    };

    public static int? ReadInt32(this TableEntity entity, string name) => Value(entity, name) switch
    {
        null => null,
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        var other => throw WrongType(name, other, "Int32"),
    };

    public static bool? ReadBool(this TableEntity entity, string name) => Value(entity, name) switch
    {
        null => null,
        bool b => b,
        var other => throw WrongType(name, other, "Boolean"),
    };

    public static DateTimeOffset? ReadTime(this TableEntity entity, string name) => Value(entity, name) switch
    {
        null => null,
        DateTimeOffset t => t,
        DateTime t => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
        var other => throw WrongType(name, other, "DateTime"),
    };

    public static byte[]? ReadBinary(this TableEntity entity, string name) => Value(entity, name) switch
    {
        null => null,
        byte[] b => b,
        BinaryData d => d.ToArray(),
        var other => throw WrongType(name, other, "Binary"),
    };

    /// <summary>A copy of the properties of ours (no keys, ETag or Timestamp) under other keys.</summary>
    public static TableEntity CopyTo(this TableEntity source, string partitionKey, string rowKey)
    {
        var copy = new TableEntity(partitionKey, rowKey);
        foreach (var (name, value) in source)
        {
            if (!IsSystem(name) && value is not null)
            {
                copy[name] = value;
            }
        }

        return copy;
    }

    private static object? Value(TableEntity entity, string name) => entity.TryGetValue(name, out var value) ? value : null;

    private static InvalidCastException WrongType(string name, object value, string wanted) =>
        new($"Property '{name}' holds {value.GetType().Name}, not {wanted}.");
}
