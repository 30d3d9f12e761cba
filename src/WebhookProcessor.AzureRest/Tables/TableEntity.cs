using System.Collections;
using System.Globalization;

namespace WebhookProcessor.AzureRest.Tables;

/// <summary>
/// One entity: its keys, the ETag and Timestamp the service gave it, and properties of the types
/// Table Storage stores (string, long, int, double, bool, DateTimeOffset, byte[], Guid). A null value
/// removes the property: the service has no nulls.
/// </summary>
public sealed class TableEntity : IEnumerable<KeyValuePair<string, object>>
{
    private readonly Dictionary<string, object> _properties = new(StringComparer.Ordinal);

    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    public string PartitionKey { get; set; }

    public string RowKey { get; set; }

    /// <summary>Set by reads and writes; pass it back as <c>If-Match</c> to update only what you read.</summary>
    public string? ETag { get; set; }

    /// <summary>Server-maintained; ignored when writing.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    public int Count => _properties.Count;

    public IEnumerable<string> Names => _properties.Keys;

    public object? this[string name]
    {
        get => _properties.GetValueOrDefault(name);
        set
        {
            CheckName(name);
            if (value is null)
            {
                _properties.Remove(name);
                return;
            }

            _properties[name] = value switch
            {
                string or long or int or double or bool or byte[] or Guid => value,
                DateTimeOffset time => time.ToUniversalTime(),
                DateTime time => new DateTimeOffset(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime()),
                _ => throw new ArgumentException($"Property '{name}' has type {value.GetType().Name}, which Table Storage cannot store.", nameof(value)),
            };
        }
    }

    /// <summary>For collection initializers: <c>new TableEntity("p", "r") { { "Name", "x" } }</c>.</summary>
    public void Add(string name, object? value) => this[name] = value;

    public bool Remove(string name) => _properties.Remove(name);

    public bool Contains(string name) => _properties.ContainsKey(name);

    public string? GetString(string name) => this[name] switch
    {
        null => null,
        string s => s,
        var other => throw WrongType(name, other, "string"),
    };

    /// <summary>Int32 values widen: the service cannot tell a small Int64 sent without annotation from an Int32.</summary>
    public long? GetInt64(string name) => this[name] switch
    {
        null => null,
        long l => l,
        int i => i,
        string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
        var other => throw WrongType(name, other, "Int64"),
    };

    public int? GetInt32(string name) => this[name] switch
    {
        null => null,
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        var other => throw WrongType(name, other, "Int32"),
    };

    public double? GetDouble(string name) => this[name] switch
    {
        null => null,
        double d => d,
        int i => i,
        var other => throw WrongType(name, other, "Double"),
    };

    public bool? GetBoolean(string name) => this[name] switch
    {
        null => null,
        bool b => b,
        var other => throw WrongType(name, other, "Boolean"),
    };

    public DateTimeOffset? GetDateTimeOffset(string name) => this[name] switch
    {
        null => null,
        DateTimeOffset t => t,
        var other => throw WrongType(name, other, "DateTime"),
    };

    public byte[]? GetBinary(string name) => this[name] switch
    {
        null => null,
        byte[] b => b,
        var other => throw WrongType(name, other, "Binary"),
    };

    public Guid? GetGuid(string name) => this[name] switch
    {
        null => null,
        Guid g => g,
        string s when Guid.TryParse(s, out var parsed) => parsed,
        var other => throw WrongType(name, other, "Guid"),
    };

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void SetRead(string name, object value) => _properties[name] = value;

    private static void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name is "PartitionKey" or "RowKey" or "Timestamp" || name.StartsWith("odata.", StringComparison.Ordinal) || name.Contains('@', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is a system name; use the entity's properties for keys, ETag and Timestamp.", nameof(name));
        }
    }

    private static InvalidCastException WrongType(string name, object value, string wanted) =>
        new($"Property '{name}' holds {value.GetType().Name}, not {wanted}.");
}
