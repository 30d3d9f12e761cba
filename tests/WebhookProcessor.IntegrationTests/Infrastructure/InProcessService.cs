using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WebhookProcessor.Hosting;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>The real application on a loopback port, in this process, with its own data folder.</summary>
public sealed class InProcessService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private InProcessService(WebApplication app, string dataFolder, ServiceClient client)
    {
        _app = app;
        DataFolder = dataFolder;
        Client = client;
    }

    public string DataFolder { get; }

    public ServiceClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="overrides">Replaces registrations after the app's own (a failing store, say).</param>
    public static async Task<InProcessService> StartAsync(IDictionary<string, string?>? settings = null, string? dataFolder = null, Action<IServiceCollection>? overrides = null)
    {
        dataFolder ??= Path.Combine(Path.GetTempPath(), "wp-it-" + Guid.NewGuid().ToString("N"));
        var values = new Dictionary<string, string?>
        {
            ["Meta:AppSecrets:0"] = TestSecrets.AppSecret,
            ["Meta:AppSecrets:1"] = TestSecrets.RotatedAppSecret,
            ["Meta:VerifyToken"] = TestSecrets.VerifyToken,
            ["Ops:ApiKeys:0"] = TestSecrets.OpsKey,
            ["Storage:Sqlite:Path"] = dataFolder,
            ["Queue:IdlePollInterval"] = "00:00:00.050",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var app = WebhookProcessorApp.Build(
            ["--urls", "http://127.0.0.1:0", "--environment", "Production"],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(values);
                if (overrides is not null)
                {
                    builder.Host.UseServiceProviderFactory(new OverridingServiceProviderFactory(overrides));
                }
            });
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        return new InProcessService(app, dataFolder, new ServiceClient(address));
    }

    /// <summary>Stops the service and keeps its data folder, for a restart on the same data.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        TryDelete(DataFolder);
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; the test result does not depend on it.
        }
    }
}
