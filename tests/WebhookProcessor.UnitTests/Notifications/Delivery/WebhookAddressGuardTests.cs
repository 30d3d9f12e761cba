using System.Net;
using WebhookProcessor.Notifications;

namespace WebhookProcessor.UnitTests.Notifications;

public sealed class WebhookAddressGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.9")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.1.1")]
    [InlineData("::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    public void IsAllowed_LoopbackAndPrivate_OnlyWithTheInsecureSwitch(string address)
    {
        Assert.False(WebhookAddressGuard.IsAllowed(IPAddress.Parse(address), allowLocal: false));
        Assert.True(WebhookAddressGuard.IsAllowed(IPAddress.Parse(address), allowLocal: true));
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.255")]
    [InlineData("169.254.169.254")]
    [InlineData("192.0.0.8")]
    [InlineData("192.0.2.1")]
    [InlineData("198.18.0.1")]
    [InlineData("198.51.100.7")]
    [InlineData("203.0.113.5")]
    [InlineData("224.0.0.1")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("2002:a9fe:a9fe::1")]
    [InlineData("fe80::1")]
    [InlineData("fec0::1")]
    [InlineData("ff02::1")]
    [InlineData("2001:db8::1")]
    [InlineData("2001::1")]
    [InlineData("100::1")]
    public void IsAllowed_LinkLocalMulticastAndReserved_Never(string address)
    {
        Assert.False(WebhookAddressGuard.IsAllowed(IPAddress.Parse(address), allowLocal: false));
        Assert.False(WebhookAddressGuard.IsAllowed(IPAddress.Parse(address), allowLocal: true));
    }

    [Theory]
    [InlineData("20.42.65.92")]
    [InlineData("13.107.42.14")]
    [InlineData("100.128.0.1")]
    [InlineData("172.32.0.1")]
    [InlineData("2603:1030::1")]
    [InlineData("::ffff:20.42.65.92")]
    [InlineData("64:ff9b::142a:415c")]
    public void IsAllowed_PublicAddresses_Always(string address)
    {
        Assert.True(WebhookAddressGuard.IsAllowed(IPAddress.Parse(address), allowLocal: false));
    }
}
