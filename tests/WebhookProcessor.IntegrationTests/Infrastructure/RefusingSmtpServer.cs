using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// A scripted SMTP server that greets and accepts the sender, then refuses every recipient with one
/// reply code: the mailbox answers MailDev never gives. One connection at a time, as SmtpClient uses them.
/// </summary>
public sealed class RefusingSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _refusal;
    private Task _loop = Task.CompletedTask;
    private int _refused;

    private RefusingSmtpServer(int code)
    {
        var enhanced = code >= 500 ? "5.1.1 user unknown" : "4.2.1 mailbox busy, try again later";
        _refusal = $"{code.ToString(CultureInfo.InvariantCulture)} {enhanced}";
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int RecipientsRefused => Volatile.Read(ref _refused);

    public static Task<RefusingSmtpServer> StartAsync(int recipientReplyCode)
    {
        var server = new RefusingSmtpServer(recipientReplyCode);
        server._listener.Start();
        server._loop = server.AcceptAsync(server._stop.Token);
        return Task.FromResult(server);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            using var client = await _listener.AcceptTcpClientAsync(cancellationToken);
            try
            {
                await ConverseAsync(client.GetStream(), cancellationToken);
            }
            catch (IOException)
            {
                // The client hung up mid-conversation; wait for the next one.
            }
        }
    }

    private async Task ConverseAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 refusing.test ESMTP");
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO" or "HELO":
                    await writer.WriteLineAsync("250 refusing.test");
                    break;
                case "RCPT":
                    Interlocked.Increment(ref _refused);
                    await writer.WriteLineAsync(_refusal);
                    break;
                case "DATA":
                    await writer.WriteLineAsync("503 5.5.1 no valid recipients");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 bye");
                    return;
                default:
                    await writer.WriteLineAsync("250 OK");
                    break;
            }
        }
    }
}
