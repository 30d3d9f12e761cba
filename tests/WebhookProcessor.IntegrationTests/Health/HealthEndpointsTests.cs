using System.Net;
using Microsoft.Extensions.Logging;
using WebhookProcessor.Catalog;
using WebhookProcessor.Health;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Health;

/// <summary>
/// Liveness and readiness of the embedded service (SQLite stores) on a loopback port: no key, the status
/// word and nothing more, and readiness that follows the catalog database being locked and released.
/// </summary>
public sealed class HealthEndpointsTests : IAsyncLifetime
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(1);

    private readonly CapturedLogs _logs = new();
    private InProcessService _service = null!;

    public async Task InitializeAsync() => _service = await InProcessService.StartAsync(
        new Dictionary<string, string?> { ["Health:ReadyTimeout"] = "00:00:01" },
        overrides: _logs.AddTo);

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        _logs.Dispose();
    }

    [Theory]
    [InlineData(HealthEndpoints.LiveRoute)]
    [InlineData(HealthEndpoints.ReadyRoute)]
    [InlineData("/api" + HealthEndpoints.LiveRoute)]
    [InlineData("/api" + HealthEndpoints.ReadyRoute)]
    public async Task Get_FreshServiceWithoutKey_HealthyAndNothingElseNeverCached(string route)
    {
        using var response = await _service.Client.Http.GetAsync(route);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore, $"{route} may be cached.");
    }

    [Fact]
    public async Task Post_Ready_NotAllowed()
    {
        using var response = await _service.Client.Http.PostAsync(HealthEndpoints.ReadyRoute, null);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    /// <summary>
    /// The catalog database stops answering: another process holds every reader slot of its WAL index
    /// (the byte-range locks SQLite's readers take on the <c>-shm</c> file), so each read waits and retries.
    /// Out of process, because POSIX locks of one process never block that process's own SQLite.
    /// </summary>
    [Fact]
    public async Task Ready_CatalogReadsBlockedThenFreed_UnavailableThenReadyAndLiveThroughout()
    {
        using var data = new TempFolder();
        await using var service = await ServiceProcess.StartAsync(data.Path, new Dictionary<string, string?> { ["Health__ReadyTimeout"] = "00:00:01" });
        using (var ready = await service.Client.Http.GetAsync(HealthEndpoints.ReadyRoute))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        await using (var shm = new FileStream(data.File(CatalogRegistration.SqliteFileName + "-shm"), FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            // Reader slots 0 to 4 sit at bytes 123 to 127 of the -shm file (SQLite's WAL index lock area starts at 120).
            await Eventually.Until(() => Task.FromResult(TryLock(shm, 123, 5)), locked => locked, TimeSpan.FromSeconds(30), "every reader slot of the catalog's WAL index");

            var started = System.Diagnostics.Stopwatch.StartNew();
            using (var down = await service.Client.Http.GetAsync(HealthEndpoints.ReadyRoute))
            {
                var elapsed = started.Elapsed;
                Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
                Assert.Equal("Unhealthy", await down.Content.ReadAsStringAsync());
                Assert.True(elapsed < ReadyTimeout + TimeSpan.FromSeconds(4), $"Readiness took {elapsed} with a {ReadyTimeout} time out.");
            }

            using (var live = await service.Client.Http.GetAsync(HealthEndpoints.LiveRoute))
            {
                Assert.Equal(HttpStatusCode.OK, live.StatusCode);
                Assert.Equal("Healthy", await live.Content.ReadAsStringAsync());
            }

            await Eventually.Until(() => Task.FromResult(service.Output), o => o.Contains("Not ready: catalog", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the failing check in the log");
            Unlock(shm, 123, 5);
        }

        await Eventually.Until(
            async () =>
            {
                using var response = await service.Client.Http.GetAsync(HealthEndpoints.ReadyRoute);
                return response.StatusCode;
            },
            status => status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60),
            "readiness once the catalog's reader slots are free");
    }

    private static bool TryLock(FileStream file, long position, long length)
    {
        if (OperatingSystem.IsMacOS())
        {
            throw NoRangeLocks();
        }

        try
        {
            file.Lock(position, length);
            return true;
        }
        catch (IOException)
        {
            // A reader of the service holds a slot right now.
            return false;
        }
    }

    private static void Unlock(FileStream file, long position, long length)
    {
        if (OperatingSystem.IsMacOS())
        {
            throw NoRangeLocks();
        }

        file.Unlock(position, length);
    }

    /// <summary>.NET has no byte-range locks on macOS; the service runs on Linux and Windows.</summary>
    private static PlatformNotSupportedException NoRangeLocks() => new("Byte-range file locks are not available on macOS.");
}
