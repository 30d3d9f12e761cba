using System.Net;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Functions;

public sealed class DailyMaintenanceTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task DailyMaintenance_HourlyTimer_PlansTheDigestOnceAndPrunesHistory()
    {
        await using var service = await ProcessTemplateEventTests.StartAsync(new Dictionary<string, string?>
        {
            ["Notifications:Digest:Enabled"] = "true",
            ["Notifications:Digest:TimeOfDayUtc"] = "00:00:00",
            ["Notifications:Delivery:RunInBackground"] = "false",
            ["History:RetentionDays"] = "1",
        });
        using (var put = await service.Client.SendOpsAsync(HttpMethod.Put, "/api/owners/ops", new
        {
            displayName = "Ops",
            emails = new[] { "ops@example.com" },
            language = "en",
            match = new { wabaId = (string?)null, templateNamePattern = (string?)null },
        }))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        // An announced change (received now, so retention keeps it) and an old event that retention removes.
        var notice = System.Text.Json.JsonSerializer.Serialize(new
        {
            messageId = "e-notice",
            wabaId = Invocations.Waba,
            field = "template_category_update",
            entryTime = 1751247548,
            receivedAt = TimeProvider.System.GetUtcNow(),
            change = """{"field":"template_category_update","value":{"message_template_id":9901,"message_template_name":"pago","message_template_language":"es","new_category":"UTILITY","correct_category":"MARKETING","category_update_timestamp":1751333948}}""",
        });
        var old = Invocations.ChangeMessage("e-old", Invocations.StatusChange(9902));
        foreach (var (body, id) in new[] { (notice, "e-notice"), (old, "e-old") })
        {
            using var invoked = await service.Client.Http.PostAsync("/ProcessTemplateEvent", Invocations.Content(Invocations.ServiceBus(body, MessageEncoding.DoubleEncoded, id)));
            Assert.Equal(HttpStatusCode.OK, invoked.StatusCode);
        }

        Assert.Equal(2, (await service.Client.AllEventsAsync()).Count);

        for (var tick = 0; tick < 2; tick++)
        {
            using var timer = await service.Client.Http.PostAsync("/DailyMaintenance", Invocations.Content("""{"Data":{"timer":{}},"Metadata":{}}"""));
            Assert.Equal(HttpStatusCode.OK, timer.StatusCode);
        }

        var digests = await Eventually.Until(
            async () => (await service.Client.GetOpsAsync("/api/notifications?kind=upcoming-changes-digest")).GetProperty("items").EnumerateArray().ToList(),
            items => items.Count > 0, Wait, "the digest alert");
        Assert.Single(digests);
        var events = await service.Client.AllEventsAsync();
        Assert.Equal("9901", Assert.Single(events).GetProperty("templateId").GetString());
    }
}
