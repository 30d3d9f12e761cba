using System.Text.Json;
using WebhookProcessor.AzureRest.ServiceBus;

namespace WebhookProcessor.UnitTests.AzureRest;

public sealed class ServiceBusBatchEncoderTests
{
    [Fact]
    public void EncodeEntry_Message_HasBodyBrokerAndUserProperties()
    {
        var message = new ServiceBusMessage("id-1", "{\"a\":\"ñ\"}")
        {
            ContentType = "application/json",
            SessionId = "s",
            TimeToLive = TimeSpan.FromSeconds(90),
            ApplicationProperties = new Dictionary<string, string> { ["field"] = "message_template_status_update" },
        };

        using var entry = JsonDocument.Parse(ServiceBusBatchEncoder.EncodeEntry(message));
        var root = entry.RootElement;

        Assert.Equal("{\"a\":\"ñ\"}", root.GetProperty("Body").GetString());
        Assert.Equal("id-1", root.GetProperty("BrokerProperties").GetProperty("MessageId").GetString());
        Assert.Equal("s", root.GetProperty("BrokerProperties").GetProperty("SessionId").GetString());
        Assert.Equal(90, root.GetProperty("BrokerProperties").GetProperty("TimeToLive").GetDouble());
        Assert.Equal("message_template_status_update", root.GetProperty("UserProperties").GetProperty("field").GetString());
    }

    [Fact]
    public void BrokerPropertiesHeader_NonAscii_StaysAscii()
    {
        var header = ServiceBusBatchEncoder.BrokerPropertiesHeader(new ServiceBusMessage("id", "b") { Subject = "año" });

        Assert.True(header.All(c => c < 128), header);
        Assert.Equal("año", JsonDocument.Parse(header).RootElement.GetProperty("Label").GetString());
    }

    [Fact]
    public void Split_UnderTheLimit_OneBatch()
    {
        var batches = ServiceBusBatchEncoder.Split(Messages(5, 100), 64 * 1024, 100);

        Assert.Equal(5, Assert.Single(batches).Count);
    }

    [Fact]
    public void Split_ExactlyAtTheLimit_FitsAndOneByteLessSplits()
    {
        var messages = Messages(3, 1000);
        var exact = Join(messages).Length;

        Assert.Single(ServiceBusBatchEncoder.Split(messages, exact, 100));
        var split = ServiceBusBatchEncoder.Split(messages, exact - 1, 100);
        Assert.Equal([2, 1], split.Select(b => b.Count));
    }

    [Fact]
    public void Split_ManyMessages_EveryBatchUnderTheLimitInOrder()
    {
        var messages = Messages(40, 10_000);
        const int limit = 64 * 1024;

        var batches = ServiceBusBatchEncoder.Split(messages, limit, 100);

        Assert.True(batches.Count > 1);
        Assert.All(batches, b => Assert.True(ServiceBusBatchEncoder.Join([.. b.Select(m => m.Entry)]).Length <= limit));
        Assert.Equal(messages.Select(m => m.MessageId), batches.SelectMany(b => b).Select(m => m.Message.MessageId));
    }

    [Fact]
    public void Split_MoreThanTheCountLimit_SplitsByCount()
    {
        var batches = ServiceBusBatchEncoder.Split(Messages(250, 10), 10 * 1024 * 1024, 100);

        Assert.Equal([100, 100, 50], batches.Select(b => b.Count));
    }

    [Fact]
    public void Split_OneMessageOverTheLimit_ThrowsNamingItsSize()
    {
        var messages = Messages(2, 10).Append(new ServiceBusMessage("big", new string('x', 5000))).ToList();

        var ex = Assert.Throws<ServiceBusMessageTooLargeException>(() => ServiceBusBatchEncoder.Split(messages, 4096, 100));

        Assert.Equal("big", ex.MessageId);
        Assert.True(ex.SizeBytes > 5000);
        Assert.Contains($"{ex.SizeBytes} bytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("4096", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Join_Entries_IsAJsonArray()
    {
        var messages = Messages(3, 5);

        using var body = JsonDocument.Parse(Join(messages));

        Assert.Equal(3, body.RootElement.GetArrayLength());
        Assert.Equal("m2", body.RootElement[2].GetProperty("BrokerProperties").GetProperty("MessageId").GetString());
    }

    private static byte[] Join(IEnumerable<ServiceBusMessage> messages) =>
        ServiceBusBatchEncoder.Join([.. messages.Select(ServiceBusBatchEncoder.EncodeEntry)]);

    private static List<ServiceBusMessage> Messages(int count, int bodyLength) =>
        [.. Enumerable.Range(0, count).Select(i => new ServiceBusMessage($"m{i}", new string((char)('a' + (i % 26)), bodyLength)))];

    [Fact]
    public void Message_IdLongerThan128_Refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ServiceBusMessage(new string('i', 129), "b"));

        Assert.Contains("128", ex.Message, StringComparison.Ordinal);
    }
}
