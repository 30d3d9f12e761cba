using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// A scripted SMTP server that greets and accepts the sender, then refuses every recipient (or only
/// the one named) with one reply code: the mailbox answers MailDev never gives. Recipients it does
/// not refuse get their message accepted and recorded. One connection at a time, as SmtpClient uses them.
/// </summary>
public sealed class RefusingSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _refusal;
    private readonly string? _onlyRefused;
    private readonly Lock _gate = new();
    private readonly List<string> _delivered = [];
    private Task _loop = Task.CompletedTask;
    private int _refused;

    private RefusingSmtpServer(int code, string? onlyRefused = null)
    {
        _onlyRefused = onlyRefused;
        var enhanced = code >= 500 ? "5.1.1 user unknown" : "4.2.1 mailbox busy, try again later";
        _refusal = $"{code.ToString(CultureInfo.InvariantCulture)} {enhanced}";
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int RecipientsRefused => Volatile.Read(ref _refused);

    /// <summary>Recipients whose message was accepted (only when a single recipient is refused).</summary>
    public IReadOnlyList<string> Delivered
    {
        get
        {
            lock (_gate)
            {
                return [.. _delivered];
            }
        }
    }

    /// <summary>Refuses <paramref name="refusedRecipient"/> only (or everyone when null) with <paramref name="recipientReplyCode"/>.</summary>
    public static Task<RefusingSmtpServer> StartAsync(int recipientReplyCode, string? refusedRecipient = null)
    {
        var server = new RefusingSmtpServer(recipientReplyCode, refusedRecipient);
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
        string? accepted = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO" or "HELO":
                    await writer.WriteLineAsync("250 refusing.test");
                    break;
                case "RCPT" when _onlyRefused is not null && !line.Contains($"<{_onlyRefused}>", StringComparison.OrdinalIgnoreCase):
                    accepted = line[(line.IndexOf('<', StringComparison.Ordinal) + 1)..].TrimEnd('>');
                    await writer.WriteLineAsync("250 2.1.5 OK");
                    break;
                case "RCPT":
                    Interlocked.Increment(ref _refused);
                    await writer.WriteLineAsync(_refusal);
                    break;
                case "DATA" when accepted is not null:
                    await writer.WriteLineAsync("354 end with <CRLF>.<CRLF>");
                    while (await reader.ReadLineAsync(cancellationToken) is { } data && data != ".")
                    {
                    }

                    lock (_gate)
                    {
                        _delivered.Add(accepted);
                    }

                    accepted = null;
                    await writer.WriteLineAsync("250 2.0.0 queued");
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
