using System.Text;
using System.Text.Json;
using WebhookProcessor.AzureRest.Tables;

namespace WebhookProcessor.UnitTests.AzureRest;

public sealed class TableEntityJsonTests
{
    [Fact]
    public void Serialize_TypesJsonCannotCarry_AreAnnotated()
    {
        var entity = new TableEntity("p", "r") { { "L", long.MaxValue }, { "I", 1 }, { "D", 1.0 }, { "T", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) } };

        var json = Encoding.UTF8.GetString(TableEntityJson.Serialize(entity));

        Assert.Contains("\"L@odata.type\":\"Edm.Int64\",\"L\":\"9223372036854775807\"", json, StringComparison.Ordinal);
        Assert.Contains("\"I\":1", json, StringComparison.Ordinal);
        Assert.Contains("\"D@odata.type\":\"Edm.Double\"", json, StringComparison.Ordinal);
        Assert.Contains("\"T\":\"2026-01-01T00:00:00.0000000Z\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MinimalMetadata_KeepsInt64ExactAndReadsETag()
    {
        using var json = JsonDocument.Parse("""
            {"odata.etag":"W/\"x\"","PartitionKey":"p","RowKey":"r","Timestamp":"2026-01-01T00:00:00.1234567Z",
             "Big@odata.type":"Edm.Int64","Big":"9007199254740993","Small":7,"Frac":0.5}
            """);

        var entity = TableEntityJson.Read(json.RootElement);

        Assert.Equal(9007199254740993L, entity.GetInt64("Big"));
        Assert.Equal(7, entity.GetInt32("Small"));
        Assert.Equal(0.5, entity.GetDouble("Frac"));
        Assert.Equal("W/\"x\"", entity.ETag);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1234567), entity.Timestamp);
        Assert.Equal(3, entity.Count);
    }
}
