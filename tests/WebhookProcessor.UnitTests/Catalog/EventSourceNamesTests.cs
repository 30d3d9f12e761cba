using WebhookProcessor.Catalog;

namespace WebhookProcessor.UnitTests.Catalog;

public sealed class EventSourceNamesTests
{
    [Theory]
    [InlineData(EventSource.Webhook, "webhook")]
    [InlineData(EventSource.Reconciliation, "reconciliation")]
    public void ToApiName_Source_RoundTripsThroughFromStored(EventSource source, string name)
    {
        Assert.Equal(name, source.ToApiName());
        Assert.Equal(source, EventSourceNames.FromStored(name));
    }

    [Fact]
    public void FromStored_Absent_IsWebhook()
    {
        // Rows from before the field existed were all webhooks.
        Assert.Equal(EventSource.Webhook, EventSourceNames.FromStored(null));
    }

    [Theory]
    [InlineData("Webhook")]
    [InlineData("backfill")]
    [InlineData("")]
    public void FromStored_UnknownName_FailsTheRead(string name)
    {
        Assert.Throws<InvalidDataException>(() => EventSourceNames.FromStored(name));
    }

    [Fact]
    public void TemplateEvent_WithoutASource_IsAWebhook()
    {
        var e = new TemplateEvent { EventId = "e", WabaId = "w", Field = "f", Kind = EventKind.Status, OccurredAt = DateTimeOffset.UnixEpoch, ReceivedAt = DateTimeOffset.UnixEpoch, Raw = "{}" };

        Assert.Equal(EventSource.Webhook, e.Source);
    }
}
