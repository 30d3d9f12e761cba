using System.Buffers.Text;
using System.Text;
using WebhookProcessor.Storage;

namespace WebhookProcessor.UnitTests.Storage;

public sealed class CursorTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(4711L)]
    [InlineData(long.MaxValue)]
    public void DecodeSequence_EncodedSequence_RoundTrips(long sequence)
    {
        Assert.Equal(sequence, Cursor.DecodeSequence(Cursor.EncodeSequence(sequence)));
    }

    [Fact]
    public void EncodeSequence_Value_IsBase64UrlOfDigits()
    {
        var cursor = Cursor.EncodeSequence(4711);

        Assert.Equal("NDcxMQ", cursor);
        Assert.Equal("4711", Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)));
    }

    [Theory]
    [InlineData(1781000000000L, 1L)]
    [InlineData(0L, 0L)]
    [InlineData(-62135596800000L, 42L)]
    [InlineData(long.MaxValue, long.MaxValue)]
    public void DecodeTimeAndSequence_EncodedPair_RoundTrips(long unixMilliseconds, long sequence)
    {
        var cursor = Cursor.EncodeTimeAndSequence(unixMilliseconds, sequence);

        Assert.Equal((unixMilliseconds, sequence), Cursor.DecodeTimeAndSequence(cursor));
    }

    [Fact]
    public void EncodeTimeAndSequence_Value_IsUrlSafe()
    {
        var cursor = Cursor.EncodeTimeAndSequence(1781000000123, 98765);

        Assert.Matches("^[A-Za-z0-9_-]+$", cursor);
        Assert.Equal("1781000000123:98765", Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("!!!!")]
    [InlineData("not a cursor")]
    [InlineData("YWJj")] // "abc"
    [InlineData("LTU")] // "-5"
    [InlineData("MSAy")] // "1 2"
    [InlineData("OTIyMzM3MjAzNjg1NDc3NTgwOA")] // 9223372036854775808, beyond Int64
    public void DecodeSequence_Garbage_ThrowsFormatException(string cursor)
    {
        var ex = Assert.Throws<FormatException>(() => Cursor.DecodeSequence(cursor));
        Assert.Equal("The cursor is not one this service issued.", ex.Message);
    }

    [Fact]
    public void DecodeSequence_TimeAndSequenceCursor_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => Cursor.DecodeSequence(Cursor.EncodeTimeAndSequence(1, 2)));
    }

    [Fact]
    public void DecodeTimeAndSequence_SequenceCursor_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => Cursor.DecodeTimeAndSequence(Cursor.EncodeSequence(5)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("%%%")]
    [InlineData("a")]
    [InlineData("MToxOjE")] // "1:1:1"
    public void DecodeTimeAndSequence_Garbage_ThrowsFormatException(string cursor)
    {
        var ex = Assert.Throws<FormatException>(() => Cursor.DecodeTimeAndSequence(cursor));
        Assert.Equal("The cursor is not one this service issued.", ex.Message);
    }

    [Theory]
    [InlineData("1:2:3")]
    [InlineData("x:2")]
    [InlineData("1:-2")]
    [InlineData("1:")]
    [InlineData(":2")]
    [InlineData("1;2")]
    public void DecodeTimeAndSequence_WellEncodedButWrongContent_ThrowsFormatException(string content)
    {
        var cursor = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(content));

        Assert.Throws<FormatException>(() => Cursor.DecodeTimeAndSequence(cursor));
    }
}
