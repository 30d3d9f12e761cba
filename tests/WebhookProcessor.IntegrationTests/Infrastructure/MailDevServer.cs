using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// A real SMTP server for the e-mail tests: MailDev 2.2.1 (tests/tools) on loopback, free ports,
/// its REST API to read what arrived. Use as a class or collection fixture, or start one per test
/// with <see cref="StartNewAsync"/>. <see cref="StopAsync"/> and <see cref="StartAsync"/> take the
/// server down and bring it back on the same SMTP port ("mail server down for a while").
/// </summary>
public sealed class MailDevServer : IAsyncLifetime, IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string _mailDirectory = Path.Combine(Path.GetTempPath(), $"maildev-{Guid.NewGuid():N}");
    private readonly MailDevTls? _tls;
    private HttpClient? _api;
    private NodeProcess? _process;
    private string _lastOutput = string.Empty;

    public int SmtpPort { get; private set; }

    public int WebPort { get; private set; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>What MailDev printed; shown when it fails to start.</summary>
    public string Output => _process?.Output ?? _lastOutput;

    private HttpClient Api => _api ?? throw new InvalidOperationException("MailDev has not been started.");

    public MailDevServer()
    {
    }

    private MailDevServer(MailDevTls tls) => _tls = tls;

    public static async Task<MailDevServer> StartNewAsync()
    {
        var server = new MailDevServer();
        await server.StartAsync();
        return server;
    }

    /// <summary>A MailDev whose SMTP port speaks TLS (implicit or STARTTLS) with the given certificate.</summary>
    public static async Task<MailDevServer> StartNewAsync(MailDevTls tls)
    {
        var server = new MailDevServer(tls);
        await server.StartAsync();
        return server;
    }

    public Task InitializeAsync() => StartAsync();

    /// <summary>Starts MailDev (installing tests/tools first if needed); a restart keeps the ports and the mail received so far.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        await NodeTools.EnsureInstalledAsync("maildev");
        var firstStart = SmtpPort == 0;
        for (var tries = 1; ; tries++)
        {
            if (firstStart)
            {
                (SmtpPort, WebPort) = (LoopbackPorts.Free(), LoopbackPorts.Free());
                _api?.Dispose();
                _api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{WebPort}/"), Timeout = TimeSpan.FromSeconds(10) };
            }

            try
            {
                await LaunchAsync();
                return;
            }
            catch (InvalidOperationException) when (firstStart && tries < 3 && Output.Contains("EADDRINUSE", StringComparison.Ordinal))
            {
                // Another process took a port between our probe and MailDev's bind: pick new ones.
            }
        }
    }

    /// <summary>Kills MailDev; connections to <see cref="SmtpPort"/> are refused until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        _lastOutput = _process.Output;
        await _process.DisposeAsync();
        _process = null;
    }

    public async Task<IReadOnlyList<ReceivedEmail>> GetEmailsAsync() =>
        await Api.GetFromJsonAsync<List<ReceivedEmail>>("email", Json) ?? [];

    /// <summary>Polls until at least <paramref name="count"/> received messages match; returns the matching ones.</summary>
    public async Task<IReadOnlyList<ReceivedEmail>> WaitForEmailsAsync(Func<ReceivedEmail, bool> predicate, int count = 1, TimeSpan? timeout = null)
    {
        return await Eventually.Until(
            async () => (IReadOnlyList<ReceivedEmail>)(await GetEmailsAsync()).Where(predicate).ToList(),
            matching => matching.Count >= count,
            timeout ?? TimeSpan.FromSeconds(10),
            $"{count} matching e-mail(s) in MailDev");
    }

    /// <summary>The message exactly as it arrived (headers and MIME parts, still encoded).</summary>
    public Task<string> GetSourceAsync(string id) => Api.GetStringAsync($"email/{Uri.EscapeDataString(id)}/source");

    public async Task DeleteAllAsync()
    {
        using var response = await Api.DeleteAsync("email/all");
        response.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        _api?.Dispose();
        if (Directory.Exists(_mailDirectory))
        {
            Directory.Delete(_mailDirectory, recursive: true);
        }
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    private async Task LaunchAsync()
    {
        // No relay or outgoing options: nothing leaves the machine.
        try
        {
            _process = await NodeProcess.StartAsync(
                "MailDev",
                NodeTools.Folder,
                Arguments(),
                async () => await IsWebUpAsync() && await IsSmtpUpAsync(),
                StartTimeout);
        }
        catch (InvalidOperationException ex)
        {
            _lastOutput = ex.Message;
            throw;
        }
    }

    private List<string> Arguments()
    {
        // STARTTLS needs the wrapper in tests/tools: MailDev's own start script never offers it.
        var script = _tls is { Implicit: false }
            ? Path.Combine(NodeTools.Folder, "maildev-starttls.js")
            : Path.Combine(NodeTools.Folder, "node_modules", "maildev", "bin", "maildev");
        List<string> arguments =
        [
            script,
            "--smtp", SmtpPort.ToString(CultureInfo.InvariantCulture),
            "--web", WebPort.ToString(CultureInfo.InvariantCulture),
            "--ip", "127.0.0.1",
            "--mail-directory", _mailDirectory,
        ];
        if (_tls is { } tls)
        {
            arguments.AddRange(["--incoming-cert", tls.CertificatePath, "--incoming-key", tls.KeyPath]);
            if (tls.Implicit)
            {
                arguments.Add("--incoming-secure");
            }

            if (tls.User is not null)
            {
                arguments.AddRange(["--incoming-user", tls.User, "--incoming-pass", tls.Password ?? string.Empty]);
            }
        }

        return arguments;
    }

    private async Task<bool> IsWebUpAsync()
    {
        try
        {
            using var response = await Api.GetAsync("healthz");
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private async Task<bool> IsSmtpUpAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, SmtpPort);
            if (_tls is { Implicit: true })
            {
                await ProbeImplicitTlsAsync(client.GetStream());
            }

            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// MailDev 2.x exits on any SMTP connection error but a reset (lib/mailserver.js onSmtpError), and
    /// a plain connect closed before the TLS handshake is one: on an implicit-TLS port the readiness
    /// probe completes a handshake and says QUIT. It accepts any certificate because it only asks
    /// whether our own server is listening; what the sender trusts is decided by the test.
    /// </summary>
    private static async Task ProbeImplicitTlsAsync(NetworkStream stream)
    {
        await using var tls = new SslStream(stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("localhost");
        using var reader = new StreamReader(tls, Encoding.ASCII, leaveOpen: true);
        await reader.ReadLineAsync();
        await tls.WriteAsync("QUIT\r\n"u8.ToArray());
        await reader.ReadLineAsync();
    }
}
