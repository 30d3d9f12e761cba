using System.Net;
using System.Net.Sockets;

namespace WebhookProcessor.Notifications;

/// <summary>
/// Decides, at connect time, which IP addresses the Teams client may open a connection to, and does
/// the connecting itself (<see cref="SocketsHttpHandler.ConnectCallback"/>). Checking the URL when an
/// owner is saved is not enough: an allowed name can resolve to an internal address later (DNS
/// rebinding, a dangling record), so the name is resolved here and every address it gives is checked
/// before any byte is sent.
/// </summary>
public static class WebhookAddressGuard
{
    /// <summary>
    /// A connect callback that refuses (with <see cref="RefusedDestinationException"/>) a host whose
    /// addresses include one that is not public. With <paramref name="allowLocal"/> (the
    /// AllowInsecureWebhookUrls switch, for tests and local fakes) loopback and private ranges are let
    /// through; link-local (cloud metadata), multicast and the like never are.
    /// </summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectCallback(bool allowLocal) =>
        (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowLocal, cancellationToken);

    /// <summary>Whether a connection to <paramref name="address"/> may be opened.</summary>
    public static bool IsAllowed(IPAddress address, bool allowLocal)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsAllowedV4(address.GetAddressBytes(), allowLocal),
            AddressFamily.InterNetworkV6 => IsAllowedV6(address.GetAddressBytes(), allowLocal),
            _ => false,
        };
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowLocal, CancellationToken cancellationToken)
    {
        var host = endpoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        // All or nothing: a name that mixes public and internal addresses is not a Workflows host.
        if (addresses.Any(a => !IsAllowed(a, allowLocal)))
        {
            throw new RefusedDestinationException(host);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static bool IsAllowedV4(byte[] b, bool allowLocal)
    {
        var local = b[0] == 127 // loopback
            || b[0] == 10 // RFC 1918
            || (b[0] == 172 && (b[1] & 0xF0) == 16)
            || (b[0] == 192 && b[1] == 168);
        if (local)
        {
            return allowLocal;
        }

        return !(b[0] == 0 // "this network", including 0.0.0.0
            || (b[0] == 100 && (b[1] & 0xC0) == 64) // carrier-grade NAT 100.64.0.0/10
            || (b[0] == 169 && b[1] == 254) // link-local, cloud metadata endpoints
            || (b[0] == 192 && b[1] == 0 && b[2] == 0) // IETF protocol assignments
            || (b[0] == 192 && b[1] == 0 && b[2] == 2) // documentation (TEST-NET-1)
            || (b[0] == 192 && b[1] == 88 && b[2] == 99) // 6to4 relay anycast
            || (b[0] == 198 && (b[1] & 0xFE) == 18) // benchmarking 198.18.0.0/15
            || (b[0] == 198 && b[1] == 51 && b[2] == 100) // documentation (TEST-NET-2)
            || (b[0] == 203 && b[1] == 0 && b[2] == 113) // documentation (TEST-NET-3)
            || b[0] >= 224); // multicast, reserved and broadcast
    }

    private static bool IsAllowedV6(byte[] b, bool allowLocal)
    {
        // ::/96 holds :: (unspecified), ::1 (loopback) and the deprecated IPv4-compatible form
        // ::a.b.c.d, which no real host uses: only ::1, and only in insecure mode, gets through.
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
        {
            return allowLocal && b.AsSpan(12, 3).IndexOfAnyExcept((byte)0) < 0 && b[15] == 1;
        }

        // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address that decides.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
        {
            return IsAllowedV4(b[12..], allowLocal);
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return IsAllowedV4(b[2..6], allowLocal);
        }

        if ((b[0] & 0xFE) == 0xFC)
        {
            return allowLocal; // unique local fc00::/7
        }

        return !(b[0] == 0xFF // multicast
            || (b[0] == 0xFE && (b[1] & 0xC0) is 0x80 or 0xC0) // link-local fe80::/10, old site-local fec0::/10
            || (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) // local-use NAT64 64:ff9b:1::/48
            || (b[0] == 0x01 && b[1] == 0x00 && b.AsSpan(2, 6).IndexOfAnyExcept((byte)0) < 0) // discard 100::/64
            || (b[0] == 0x20 && b[1] == 0x01 && (b[2] & 0xFE) == 0x00) // IETF protocol assignments 2001::/23 (Teredo among them)
            || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) // documentation 2001:db8::/32
            || (b[0] == 0x3f && b[1] == 0xff && (b[2] & 0xF0) == 0x00) // documentation 3fff::/20
            || b[0] == 0x00); // the rest of ::/8 is reserved
    }
}
