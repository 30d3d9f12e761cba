using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WebhookProcessor.Azure;
using WebhookProcessor.Catalog;
using WebhookProcessor.Functions;
using WebhookProcessor.Hosting;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Notifications;
using WebhookProcessor.Queue;
using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.IntegrationTests.Hosting;

/// <summary>
/// The app as <see cref="WebhookProcessorApp.Build"/> wires it, in each supported provider combination:
/// every port has exactly one registration (nothing relies on a later one replacing an earlier one), and
/// it resolves to the chosen provider's implementation. Nothing is started, so nothing is contacted.
/// </summary>
public sealed class ProvidersTests
{
    private static readonly Type[] Ports =
        [typeof(ITemplateStore), typeof(INotificationStore), typeof(IReconciliationStore), typeof(IEventQueue), typeof(IQueueMonitor), typeof(IDeadLetterSink)];

    [Fact]
    public async Task AddProviders_SqliteForBoth_RegistersEachPortOnceFromSqlite()
    {
        await using var app = Wired([], out var services);

        AssertOncePerPort(services, typeof(IQueueConsumer));
        Assert.IsType<SqliteTemplateStore>(app.Services.GetRequiredService<ITemplateStore>());
        Assert.IsType<SqliteNotificationStore>(app.Services.GetRequiredService<INotificationStore>());
        Assert.IsType<SqliteReconciliationStore>(app.Services.GetRequiredService<IReconciliationStore>());
        Assert.IsType<SqliteEventQueue>(app.Services.GetRequiredService<IEventQueue>());
        Assert.IsType<SqliteEventQueue>(app.Services.GetRequiredService<IQueueConsumer>());
        Assert.IsType<SqliteQueueMonitor>(app.Services.GetRequiredService<IQueueMonitor>());
        Assert.IsType<SqliteEventQueue>(app.Services.GetRequiredService<IDeadLetterSink>());
    }

    [Fact]
    public async Task AddProviders_ServiceBusWithTables_RegistersEachPortOnceFromAzureAndNoConsumer()
    {
        await using var app = Wired(ServiceBusWithTables(), out var services);

        AssertOncePerPort(services);
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IQueueConsumer));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(SqliteTemplateStore) || d.ServiceType == typeof(SqliteEventQueue));
        Assert.IsType<TableTemplateStore>(app.Services.GetRequiredService<ITemplateStore>());
        Assert.IsType<TableNotificationStore>(app.Services.GetRequiredService<INotificationStore>());
        Assert.IsType<TableReconciliationStore>(app.Services.GetRequiredService<IReconciliationStore>());
        Assert.IsType<ServiceBusEventQueue>(app.Services.GetRequiredService<IEventQueue>());
        Assert.IsType<ServiceBusQueueMonitor>(app.Services.GetRequiredService<IQueueMonitor>());
        Assert.IsType<TableDeadLetterStore>(app.Services.GetRequiredService<IDeadLetterSink>());
        Assert.Null(app.Services.GetService<IQueueConsumer>());
        // Under the Functions host nothing receives in this process.
        Assert.DoesNotContain(app.Services.GetServices<IHostedService>(), s => s is ServiceBusWorker);
        Assert.Contains(app.Services.GetServices<IHostedService>(), s => s is ServiceBusConnectionCheck);
    }

    [Fact]
    public async Task AddProviders_ServiceBusWithProcessorReceiver_RegistersTheInProcessWorker()
    {
        var settings = ServiceBusWithTables();
        settings["Queue:ServiceBus:Receiver"] = "processor";
        settings["Queue:ServiceBus:Processor:MaxConcurrentCalls"] = "8";
        await using var app = Wired(settings, out var services);

        AssertOncePerPort(services);
        Assert.Single(app.Services.GetServices<IHostedService>(), s => s is ServiceBusWorker);
        Assert.Equal(8, app.Services.GetRequiredService<IOptions<ServiceBusQueueOptions>>().Value.Processor.MaxConcurrentCalls);
        Assert.Null(app.Services.GetService<IQueueConsumer>());
    }

    [Fact]
    public async Task AddProviders_SqliteQueueWithTables_StoresFromTablesQueuePortsFromSqlite()
    {
        await using var app = Wired(new()
        {
            ["Storage:Provider"] = "AzureTables",
            ["Storage:Tables:ConnectionString"] = "UseDevelopmentStorage=true",
        }, out var services);

        AssertOncePerPort(services, typeof(IQueueConsumer));
        Assert.IsType<TableTemplateStore>(app.Services.GetRequiredService<ITemplateStore>());
        Assert.IsType<TableNotificationStore>(app.Services.GetRequiredService<INotificationStore>());
        Assert.IsType<TableReconciliationStore>(app.Services.GetRequiredService<IReconciliationStore>());
        Assert.IsType<SqliteEventQueue>(app.Services.GetRequiredService<IEventQueue>());
        Assert.IsType<SqliteQueueMonitor>(app.Services.GetRequiredService<IQueueMonitor>());
        Assert.IsType<SqliteEventQueue>(app.Services.GetRequiredService<IDeadLetterSink>());
    }

    [Theory]
    [InlineData(null, "from-azure-client-id", "from-azure-client-id")]
    [InlineData("from-section", "from-azure-client-id", "from-section")]
    public async Task TableStorageOptions_ClientId_DefaultsToAzureClientId(string? configured, string environment, string expected)
    {
        await using var app = Wired(new()
        {
            ["Storage:Provider"] = "AzureTables",
            ["Storage:Tables:Endpoint"] = "https://account.table.core.windows.net/",
            ["Storage:Tables:ClientId"] = configured,
            ["AZURE_CLIENT_ID"] = environment,
        }, out _);

        Assert.Equal(expected, app.Services.GetRequiredService<IOptions<TableStorageOptions>>().Value.ClientId);
    }

    /// <summary>Service Bus intake and Table Storage, configured well enough to wire up; nothing is contacted.</summary>
    private static Dictionary<string, string?> ServiceBusWithTables() => new()
    {
        ["Storage:Provider"] = "AzureTables",
        ["Storage:Tables:ConnectionString"] = "UseDevelopmentStorage=true",
        ["Queue:Provider"] = "ServiceBus",
        ["Queue:ServiceBus:ConnectionString"] = "Endpoint=sb://127.0.0.1/;SharedAccessKeyName=send;SharedAccessKey=c2VjcmV0",
    };

    private static void AssertOncePerPort(IReadOnlyCollection<ServiceDescriptor> services, params Type[] more)
    {
        foreach (var port in Ports.Concat(more))
        {
            var count = services.Count(d => d.ServiceType == port);
            Assert.True(count == 1, $"{port.Name} has {count} registrations; each port needs exactly one.");
        }
    }

    private static Wiring Wired(Dictionary<string, string?> settings, out IReadOnlyCollection<ServiceDescriptor> services)
    {
        var folder = Path.Combine(Path.GetTempPath(), "wp-providers-" + Guid.NewGuid().ToString("N"));
        settings["Storage:Sqlite:Path"] = folder;
        IServiceCollection? captured = null;
        var app = WebhookProcessorApp.Build(
            ["--urls", "http://127.0.0.1:0", "--environment", "Production"],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                builder.Host.UseServiceProviderFactory(new OverridingServiceProviderFactory(s => captured = s));
            });
        services = [.. captured!];
        return new Wiring(app, folder);
    }

    /// <summary>The built (never started) app, and the data folder its SQLite stores may create.</summary>
    private sealed class Wiring(WebApplication app, string folder) : IAsyncDisposable
    {
        public IServiceProvider Services => app.Services;

        public async ValueTask DisposeAsync()
        {
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
