using System.Text;
using WebhookProcessor.Ops;
using WebhookProcessor.Queue;

namespace WebhookProcessor.UnitTests.Ops;

public sealed class DeadLetterDtoTests
{
    private static readonly DateTimeOffset Received = new(2026, 6, 12, 3, 22, 47, TimeSpan.FromHours(2));
    private static readonly DateTimeOffset DeadLettered = new(2026, 6, 12, 1, 30, 0, TimeSpan.Zero);

    private static StoredDeadLetter Stored(byte[] body) =>
        new("17", new DeadLetter("abc123", DeadLetterSource.Poison, "bad id", Received, DeadLettered, body, "109876543210987", "message_template_status_update", 3));

    [Fact]
    public void From_Utf8Body_ShowsTextAndNoBase64()
    {
        var dto = DeadLetterDto.From(Stored(Encoding.UTF8.GetBytes("""{"name":"café ✓"}""")));

        Assert.Equal("""{"name":"café ✓"}""", dto.RawBody);
        Assert.Null(dto.RawBodyBase64);
    }

    [Fact]
    public void From_InvalidUtf8Body_ShowsBase64AndNoText()
    {
        byte[] body = [0x7B, 0xC3, 0x28, 0xFF, 0x7D];

        var dto = DeadLetterDto.From(Stored(body));

        Assert.Null(dto.RawBody);
        Assert.Equal("e8Mo/30=", dto.RawBodyBase64);
        Assert.Equal(body, Convert.FromBase64String(dto.RawBodyBase64!));
    }

    [Fact]
    public void From_EmptyBody_ShowsEmptyText()
    {
        var dto = DeadLetterDto.From(Stored([]));

        Assert.Equal(string.Empty, dto.RawBody);
        Assert.Null(dto.RawBodyBase64);
    }

    [Fact]
    public void From_Stored_CopiesMetadataAndUsesUtcTimes()
    {
        var dto = DeadLetterDto.From(Stored("x"u8.ToArray()));

        Assert.Equal("17", dto.Id);
        Assert.Equal("abc123", dto.EventId);
        Assert.Equal("Poison", dto.Source);
        Assert.Equal("bad id", dto.Reason);
        Assert.Equal("109876543210987", dto.WabaId);
        Assert.Equal("message_template_status_update", dto.Field);
        Assert.Equal(3, dto.DeliveryCount);
        Assert.Equal(new DateTime(2026, 6, 12, 1, 22, 47, DateTimeKind.Utc), dto.ReceivedAt);
        Assert.Equal(DateTimeKind.Utc, dto.ReceivedAt.Kind);
        Assert.Equal(new DateTime(2026, 6, 12, 1, 30, 0, DateTimeKind.Utc), dto.DeadLetteredAt);
    }
}
