using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// Azurite's Table service (tests/tools, 3.37.0) on loopback, a free port, in memory. Use as a class or
/// collection fixture (<see cref="AzuriteCollection"/>); tests share one server and keep apart by
/// creating their own tables (<see cref="NewTableName"/>).
/// </summary>
public sealed class AzuriteServer : IAsyncLifetime, IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private NodeProcess? _process;
    private string _lastOutput = string.Empty;

    /// <summary>Azurite's well-known development account (public, the same in every Azurite).</summary>
    public const string AccountName = "devstoreaccount1";

    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public int Port { get; private set; }

    /// <summary>Path-style endpoint with Azurite's well-known account, as a storage connection string.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};TableEndpoint=http://127.0.0.1:{Port}/{AccountName};";

    public string Output => _process?.Output ?? _lastOutput;

    /// <summary>A client with fast retries, so a test of a failing call does not wait out Azure.Core's default backoff.</summary>
    public TableServiceClient CreateClient(params HttpPipelinePolicy[] policies)
    {
        var options = new TableClientOptions();
        options.Retry.Delay = TimeSpan.FromMilliseconds(50);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(500);
        foreach (var policy in policies)
        {
            options.AddPolicy(policy, HttpPipelinePosition.PerCall);
        }

        return new TableServiceClient(ConnectionString, options);
    }

    /// <summary>A table name no other test uses.</summary>
    public static string NewTableName(string prefix = "t") => prefix + Guid.NewGuid().ToString("N")[..20];

    public async Task InitializeAsync()
    {
        await NodeTools.EnsureInstalledAsync("azurite-table");
        for (var tries = 1; ; tries++)
        {
            Port = LoopbackPorts.Free();
            try
            {
                await LaunchAsync();
                return;
            }
            catch (InvalidOperationException) when (tries < 3 && Output.Contains("EADDRINUSE", StringComparison.Ordinal))
            {
                // Another process took the port between our probe and Azurite's bind: pick another.
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is null)
        {
            return;
        }

        await _process.DisposeAsync();
        _process = null;
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    /// <summary>Stops the server, as an outage would; <see cref="RestartAsync"/> brings it back on the same port (empty: it keeps data in memory).</summary>
    public Task StopAsync() => DisposeAsync();

    /// <summary>Starts the server again on <see cref="Port"/>, so clients configured with <see cref="ConnectionString"/> reach it again.</summary>
    public Task RestartAsync() => _process is null ? LaunchAsync() : Task.CompletedTask;

    private async Task LaunchAsync()
    {
        // In memory, no telemetry, path-style URLs only; any x-ms-version is accepted.
        try
        {
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            _process = await NodeProcess.StartAsync(
                "Azurite",
                Path.GetTempPath(),
                [
                    Path.Combine(NodeTools.Folder, "node_modules", "azurite", "dist", "src", "table", "main.js"),
                    "--tableHost", "127.0.0.1",
                    "--tablePort", Port.ToString(CultureInfo.InvariantCulture),
                    "--inMemoryPersistence",
                    "--skipApiVersionCheck",
                    "--disableTelemetry",
                    "--disableProductStyleUrl",
                    "--silent",
                ],
                // Answering (any status, e.g. 403 to an unsigned request) means the table service is listening.
                () => AnswersAsync(probe),
                StartTimeout);
        }
        catch (InvalidOperationException ex)
        {
            _lastOutput = ex.Message;
            throw;
        }
    }

    private async Task<bool> AnswersAsync(HttpClient probe)
    {
        try
        {
            using var response = await probe.GetAsync(new Uri($"http://127.0.0.1:{Port}/{AccountName}/Tables"));
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

}
