using System.Globalization;
using System.Net;
using System.Text;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Ops;

/// <summary>
/// Large stored bodies against the real service process: listing them, several requests at once with
/// the largest limit, must keep each response and the process's memory small.
/// </summary>
public sealed class OpsListMemoryTests : IAsyncLifetime
{
    private const int Letters = 24;
    private const int BodyBytes = 3 * 1024 * 1024;
    private const int ParallelLists = 4;

    private readonly TempFolder _folder = new("wp-listmem-");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _folder.Dispose();

        return Task.CompletedTask;
    }

    [Fact]
    public async Task ListDeadLetters_ManyLargeBodiesListedInParallel_ResponsesAndPeakMemoryStayBounded()
    {
        await using var service = await ServiceProcess.StartAsync(_folder.Path);
        // Signed JSON that is no webhook envelope: intake keeps each one whole as a dead letter.
        for (var i = 0; i < Letters; i++)
        {
            var body = "[\"" + i.ToString("D4", CultureInfo.InvariantCulture) + new string('x', BodyBytes - 8) + "\"]";
            using var posted = await service.Client.PostWebhookAsync(Encoding.UTF8.GetBytes(body));
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        var health = await service.Client.HealthAsync();
        Assert.Equal(Letters, health.GetProperty("deadLetterCount").GetInt64());

        // Measure only what the listings add: intake's own buffers are not what this test is about.
        var before = ResidentKiB(service.ProcessId, "VmRSS");
        await File.WriteAllTextAsync($"/proc/{service.ProcessId}/clear_refs", "5");

        var sizes = await Task.WhenAll(Enumerable.Range(0, ParallelLists).Select(async _ =>
        {
            using var response = await service.Client.SendOpsAsync("/api/dead-letters?limit=500");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            // Counted while streaming, so the test itself never holds a large response.
            await using var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64 * 1024];
            long total = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                total += read;
            }

            return total;
        }));

        var peak = ResidentKiB(service.ProcessId, "VmHWM");
        // Today's listing read and rendered every body: a few hundred MiB per request.
        Assert.True(peak - before < 96 * 1024, $"resident memory grew from {before:N0} KiB to a peak of {peak:N0} KiB while listing");
        Assert.All(sizes, size => Assert.True(size < 1024 * 1024, $"a listing answered {size:N0} bytes"));

    }

    /// <summary>A line of /proc/PID/status in KiB: VmRSS now, or VmHWM, the peak since the last reset.</summary>
    private static long ResidentKiB(int processId, string field)
    {
        var line = File.ReadLines($"/proc/{processId}/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
