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

    public static string? ReadString(this TableEntity entity, string name) =>
        (string?)Read(entity, name, "String", static v => v as string);

    public static long? ReadInt64(this TableEntity entity, string name) =>
        (long?)Read(entity, name, "Int64", static v => v switch { long l => l, int i => (long)i, _ => null });

    public static int? ReadInt32(this TableEntity entity, string name) =>
        (int?)Read(entity, name, "Int32", static v => v switch { int i => i, long l when l is >= int.MinValue and <= int.MaxValue => (int)l, _ => null });

    public static bool? ReadBool(this TableEntity entity, string name) =>
        (bool?)Read(entity, name, "Boolean", static v => v as bool?);

    public static DateTimeOffset? ReadTime(this TableEntity entity, string name) =>
        (DateTimeOffset?)Read(entity, name, "DateTime", static v => v switch
        {
            DateTimeOffset t => t,
            DateTime t => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
            _ => null,
        });

    public static byte[]? ReadBinary(this TableEntity entity, string name) =>
        (byte[]?)Read(entity, name, "Binary", static v => v switch { byte[] b => b, BinaryData d => d.ToArray(), _ => null });

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

    /// <summary>
    /// The property as <paramref name="convert"/> makes it (null when it cannot), or null when the entity
    /// has none; a value it cannot convert is an error, never read as missing.
    /// </summary>
    private static object? Read(TableEntity entity, string name, string wanted, Func<object, object?> convert)
    {
        if (!entity.TryGetValue(name, out var value) || value is null)
        {
            return null;
        }

        return convert(value) ?? throw new InvalidCastException($"Property '{name}' holds {value.GetType().Name}, not {wanted}.");
    }
}
