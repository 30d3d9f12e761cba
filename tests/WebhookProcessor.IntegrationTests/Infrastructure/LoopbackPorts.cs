using System.Net;
using System.Net.Sockets;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

public static class LoopbackPorts
{
    /// <summary>A TCP port nobody listens on right now, for a server this test starts.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
