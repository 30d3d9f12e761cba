using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using WebhookProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace WebhookProcessor.IntegrationTests.Durability;

/// <summary>
/// Kills the service with SIGKILL while webhooks pour in and the worker is applying them, restarts it,
/// and checks the promise behind every 200: the change is in history, exactly once.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Senders = 16;
    private const int KillRounds = 3;

    [Fact]
    public async Task Sigkill_UnderLoad_EveryAcknowledgedChangeIsInHistoryExactlyOnce()
    {
        var dataFolder = Path.Combine(Path.GetTempPath(), "wp-crash-" + Guid.NewGuid().ToString("N"));
        var acknowledged = new ConcurrentDictionary<long, byte>();
        var acknowledgedBodies = new ConcurrentBag<byte[]>();
        long nextTemplateId = 4_000_000_000_000_000;
        var random = new Random(20261121);
        var redeliveries = 0;

        for (var round = 0; round < KillRounds; round++)
        {
            var service = await ServiceProcess.StartAsync(dataFolder);
            using var stop = new CancellationTokenSource();
            var before = acknowledged.Count;
            var senders = Enumerable.Range(0, Senders).Select(sender => Task.Run(async () =>
            {
                var local = new Random(sender + (round * 100));
                while (!stop.IsCancellationRequested)
                {
                    byte[] body;
                    long[] ids;
                    var replay = local.Next(10) == 0 && acknowledgedBodies.TryPeek(out var earlier);
                    if (replay && acknowledgedBodies.Skip(local.Next(Math.Max(1, acknowledgedBodies.Count))).FirstOrDefault() is { } again)
                    {
                        // Meta retrying something already acknowledged: it must stay one event.
                        body = again;
                        ids = [];
                        Interlocked.Increment(ref redeliveries);
                    }
                    else
                    {
                        var changes = local.Next(4) == 0 ? 3 : 1;
                        var first = Interlocked.Add(ref nextTemplateId, changes) - changes + 1;
                        ids = Enumerable.Range(0, changes).Select(i => first + i).ToArray();
                        body = Encoding.UTF8.GetBytes(BatchWebhook(ids));
                    }

                    try
                    {
                        using var response = await service.Client.PostWebhookAsync(body);
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            foreach (var id in ids)
                            {
                                acknowledged[id] = 0;
                            }

                            if (ids.Length > 0)
                            {
                                acknowledgedBodies.Add(body);
                            }
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        // The process died mid-request: nothing was acknowledged, so nothing was promised.
                    }
                }
            })).ToArray();

            var killAfter = before + 300 + random.Next(500);
            await Eventually.Until(() => Task.FromResult(acknowledged.Count), n => n >= killAfter, TimeSpan.FromSeconds(120), $"{killAfter} acknowledged changes");
            await service.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(senders);
            await service.DisposeAsync();
        }

        await using var final = await ServiceProcess.StartAsync(dataFolder);
        await final.Client.WaitForIdleAsync(TimeSpan.FromSeconds(120));
        var events = await final.Client.AllEventsAsync();
        var perTemplate = events
            .GroupBy(e => long.Parse(e.GetProperty("templateId").GetString()!, CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.Count());

        output.WriteLine($"{KillRounds} SIGKILLs; {acknowledged.Count} changes acknowledged, {redeliveries} redeliveries, {events.Count} events in history");
        var missing = acknowledged.Keys.Where(id => !perTemplate.ContainsKey(id)).ToList();
        var duplicated = perTemplate.Where(p => p.Value != 1).ToList();
        Assert.True(acknowledged.Count >= KillRounds * 300, $"only {acknowledged.Count} changes were acknowledged");
        Assert.True(redeliveries > 0, "the load should include redeliveries of acknowledged webhooks");
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged changes are missing from history, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.True(duplicated.Count == 0, $"{duplicated.Count} templates have more than one event, e.g. {string.Join(", ", duplicated.Take(5))}");
        var health = await final.Client.HealthAsync();
        Assert.Equal(0, health.GetProperty("deadLetterCount").GetInt64());
    }

    private static string BatchWebhook(long[] templateIds)
    {
        var entries = templateIds.Select(id => $$$"""
            {"id":"10987654321{{{id % 7}}}","time":{{{1781000000 + (id % 100000)}}},"changes":[{"field":"message_template_status_update","value":{"event":"APPROVED","message_template_id":{{{id}}},"message_template_name":"recordatorio_{{{id % 1000}}}","message_template_language":"es_MX","reason":"NONE","message_template_category":"UTILITY"}}]}
            """);
        return $$$"""{"object":"whatsapp_business_account","entry":[{{{string.Join(",", entries)}}}]}""";
    }
}
