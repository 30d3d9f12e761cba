using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;

namespace WebhookProcessor.Azure;

/// <summary>
/// Values larger than one property may hold (64 KiB; for strings 32K UTF-16 characters, which is also
/// what Azurite enforces), spread over numbered chunk properties: <c>Name__n</c> holds the count and
/// <c>Name__0</c>, <c>Name__1</c>… the parts. A value that fits stays in <c>Name</c> itself. Use with
/// insert or replace: a merge would leave stale chunks of a longer earlier value behind.
/// </summary>
/// <remarks>
/// Our own because no SDK offers it: Azure.Data.Tables maps one .NET value to one property and leaves
/// the 64 KiB property limit to the caller, and the chunk names are this service's stored layout (rows
/// written by earlier versions use them), so they must not depend on a library's choice.
/// </remarks>
internal static class TableLargeProperty
{
    public const int MaxStringChars = 32_000;
    public const int MaxBinaryBytes = 64 * 1024;

    /// <summary>The service's limit for one entity.</summary>
    public const int MaxEntityBytes = 1024 * 1024;

    /// <exception cref="TableEntityTooLargeException">The entity would exceed <see cref="MaxEntityBytes"/>.</exception>
    public static void SetString(TableEntity entity, string name, string value)
    {
        Clear(entity, name);
        if (value.Length <= MaxStringChars)
        {
            entity[name] = value;
        }
        else
        {
            var chunks = new List<string>();
            for (var start = 0; start < value.Length;)
            {
                var length = Math.Min(MaxStringChars, value.Length - start);
                // Never cut a surrogate pair in two: each half alone is not valid UTF-16 text.
                if (start + length < value.Length && char.IsHighSurrogate(value[start + length - 1]))
                {
                    length--;
                }

                chunks.Add(value.Substring(start, length));
                start += length;
            }

            SetChunks(entity, name, chunks);
        }

        EnsureFits(entity);
    }

    public static string? GetString(TableEntity entity, string name)
    {
        if (entity.ReadString(name) is { } whole)
        {
            return whole;
        }

        if (entity.ReadInt32(CountName(name)) is not { } count)
        {
            return null;
        }

        var builder = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            builder.Append(entity.ReadString(ChunkName(name, i)) ?? throw MissingChunk(name, i));
        }

        return builder.ToString();
    }

    /// <exception cref="TableEntityTooLargeException">The entity would exceed <see cref="MaxEntityBytes"/>.</exception>
    public static void SetBinary(TableEntity entity, string name, ReadOnlySpan<byte> value)
    {
        Clear(entity, name);
        if (value.Length <= MaxBinaryBytes)
        {
            entity[name] = value.ToArray();
        }
        else
        {
            var chunks = new List<byte[]>();
            for (var start = 0; start < value.Length; start += MaxBinaryBytes)
            {
                chunks.Add(value.Slice(start, Math.Min(MaxBinaryBytes, value.Length - start)).ToArray());
            }

            SetChunks(entity, name, chunks);
        }

        EnsureFits(entity);
    }

    public static byte[]? GetBinary(TableEntity entity, string name)
    {
        if (entity.ReadBinary(name) is { } whole)
        {
            return whole;
        }

        if (entity.ReadInt32(CountName(name)) is not { } count)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        for (var i = 0; i < count; i++)
        {
            buffer.Write(entity.ReadBinary(ChunkName(name, i)) ?? throw MissingChunk(name, i));
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// The larger of the two ways the entity is measured: Azure's formula (UTF-16 strings, raw binary,
    /// per-property overhead) and the UTF-8 JSON body that Azurite checks (base64 binary, type annotations).
    /// </summary>
    public static long MeasureBytes(TableEntity entity)
    {
        long azure = 4 + ((entity.PartitionKey.Length + entity.RowKey.Length) * 2L);
        var json = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["PartitionKey"] = entity.PartitionKey,
            ["RowKey"] = entity.RowKey,
        };
        foreach (var (name, value) in entity)
        {
            if (TableValues.IsSystem(name) || value is null)
            {
                continue;
            }

            azure += 8 + (name.Length * 2L) + value switch
            {
                string s => 4 + (s.Length * 2L),
                byte[] b => 4 + b.Length,
                BinaryData d => 4 + d.ToMemory().Length,
                Guid => 16,
                bool => 1,
                int => 4,
                _ => 8,
            };
            json[name] = value is BinaryData data ? data.ToArray() : value;
            if (value is not (string or int or bool))
            {
                json[name + "@odata.type"] = "Edm.Binary";
            }
        }

        return Math.Max(azure, JsonSerializer.SerializeToUtf8Bytes(json).LongLength);
    }

    /// <exception cref="TableEntityTooLargeException">The entity would exceed <see cref="MaxEntityBytes"/>.</exception>
    public static void EnsureFits(TableEntity entity)
    {
        var size = MeasureBytes(entity);
        if (size > MaxEntityBytes)
        {
            throw new TableEntityTooLargeException(size);
        }
    }

    private static void SetChunks<T>(TableEntity entity, string name, List<T> chunks)
    {
        entity[CountName(name)] = chunks.Count;
        for (var i = 0; i < chunks.Count; i++)
        {
            entity[ChunkName(name, i)] = chunks[i];
        }
    }

    private static void Clear(TableEntity entity, string name)
    {
        if (entity.ReadInt32(CountName(name)) is { } count)
        {
            for (var i = 0; i < count; i++)
            {
                entity.Remove(ChunkName(name, i));
            }
        }

        entity.Remove(CountName(name));
        entity.Remove(name);
    }

    private static string CountName(string name) => name + "__n";

    private static string ChunkName(string name, int index) => name + "__" + index.ToString(CultureInfo.InvariantCulture);

    private static InvalidOperationException MissingChunk(string name, int index) =>
        new($"Property '{name}' is split into chunks but chunk {index} is missing (was the entity merged or selected partially?).");
}
