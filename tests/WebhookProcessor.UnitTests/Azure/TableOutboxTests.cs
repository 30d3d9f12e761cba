using WebhookProcessor.Azure;
using Azure.Data.Tables;
using WebhookProcessor.Catalog;
using WebhookProcessor.Notifications;

namespace WebhookProcessor.UnitTests.Azure;

/// <summary>Alert rows in the catalog partition, which a redelivered event reads back to repair its outbox items.</summary>
public sealed class TableOutboxTests
{
    private const string Facts = """{"kind":"template_paused","eventId":"e1","wabaId":"w1","templateId":42,"occurredAt":"2026-06-01T12:00:00+00:00"}""";

    [Theory]
    [InlineData("email", "a@example.com")]
    [InlineData(null, null)]
    public void ReadAlertRow_RowWrittenFromAnItem_GivesTheItemBack(string? channel, string? recipient)
    {
        var item = new OutboxItem("n1", "e1", "template_paused", "w1", 42, channel, recipient, "o", "Owner", "es", Facts,
            channel is null ? NotificationStatus.Unrouted : NotificationStatus.Pending, DueAtCommit: channel is not null);

        Assert.Equal(item, TableOutbox.ReadAlertRow(TableOutbox.AlertRow("t42", item)));
    }

    [Fact]
    public void ReadAlertRow_RowFromBeforeTheEnvelope_TakesKindAndTemplateFromTheFacts()
    {
        // What an alert row held before it carried the envelope's own fields.
        var row = new TableEntity("t42", "n_n1")
        {
            { "NotificationId", "n1" },
            { "EventId", "e1" },
            { "Facts", Facts },
            { "Channel", "teams" },
            { "Recipient", "https://example.logic.azure.com/workflows/1?sig=x" },
            { "OwnerId", "o" },
            { "OwnerName", "Owner" },
            { "Language", "en" },
        };

        var item = TableOutbox.ReadAlertRow(row);

        Assert.Equal(("template_paused", "w1", (long?)42, "teams", NotificationStatus.Pending, true), (item.Kind, item.WabaId, item.TemplateId, item.Channel, item.Status, item.DueAtCommit));
        Assert.Equal(Facts, item.FactsJson);
    }
}
