using WebhookProcessor.Hosting;
using WebhookProcessor.Security;

namespace WebhookProcessor.UnitTests.Hosting;

public sealed class LogTextTests
{
    [Theory]
    [InlineData("subscribe", "subscribe")]
    [InlineData("x\r\n2026-01-01 warn: forged", "x2026-01-01 warn: forged")]
    [InlineData("a\u001b[31mred\u0000b\u2028c", "a[31mredbc")]
    public void Clean_RequestText_DropsControlCharacters(string input, string expected)
    {
        Assert.Equal(expected, LogText.Clean(input));
    }

    [Fact]
    public void Clean_LongText_IsCutAndMarked()
    {
        var cleaned = LogText.Clean(new string('x', 10_000))!;

        Assert.Equal(LogText.MaxLength + 1, cleaned.Length);
        Assert.EndsWith("…", cleaned, StringComparison.Ordinal);
    }
}
