using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;
using WebhookProcessor.Azure;
using WebhookProcessor.Catalog;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Meta;
using WebhookProcessor.Notifications;
using WebhookProcessor.Processing;
using WebhookProcessor.Queue;

namespace WebhookProcessor.IntegrationTests.Azure;

/// <summary>
/// Run once, with the REST-client stores, to write Fixtures/legacy-tables.json: every entity the stores
/// wrote (raw JSON as the service returns it, with its @odata.type annotations) and what the stores read
/// back. Removed together with the REST client; kept in history as the fixture's provenance.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LegacyTableCapture(AzuriteServer azurite)
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Capture()
    {
        var target = Environment.GetEnvironmentVariable("LEGACY_FIXTURE_OUT");
        var client = azurite.CreateClient();
        var names = new TableNames("fx" + Guid.NewGuid().ToString("N")[..8]);
        var templates = new TableTemplateStore(client, names, NullLogger<TableTemplateStore>.Instance);
        var notifications = new TableNotificationStore(client, names);
        var deadLetters = new TableDeadLetterStore(client, names);

        await notifications.SaveOwnerAsync(new Owner { Id = "ops/team #1", DisplayName = "Ops", Emails = ["ops@example.com", "lead@example.com"], Match = new OwnerMatch("w", "promo_*") }, T0);
        var owners = await notifications.ListOwnersAsync();
        var random = new Random(12);
        var bigRaw = "{\"blob\":\"" + Convert.ToBase64String(RandomBytes(random, 68_000)) + "\"}";
        TemplateEvent[] events =
        [
            Status("e1", 1, "promo_one", "APPROVED", -100, "{\"id\":\"e1\"}"),
            Status("e2", 1, "promo_one", "REJECTED", -50, "{\"id\":\"e2\"}") with { Reason = "INVALID_FORMAT" },
            Status("e3", 2, "promo_two", "PAUSED", -40, bigRaw),
            new TemplateEvent { EventId = "e4/#?", WabaId = "w", Field = MetaFields.QualityUpdate, Kind = EventKind.Quality, TemplateId = null, NewQualityScore = "RED", OccurredAt = T0.AddSeconds(-30), ReceivedAt = T0, Raw = "{\"q\":\"ñ\"}" },
        ];
        await templates.ApplyAsync(events, T0.AddSeconds(1), (current, e) => TemplateDecision.Decide(current, e, owners, new NotificationOptions()));
        var due = await notifications.TakeDueAsync(AlertChannel.Email, T0.AddSeconds(2), TimeSpan.FromHours(1), 1);
        await notifications.MarkFailedAttemptAsync(due[0].Id, 1, "550 mailbox unavailable", null, T0.AddSeconds(3));
        var facts = new AlertFacts { Kind = AlertKinds.TemplateRejected, EventId = "e-unrouted", WabaId = "x", TemplateId = 7, OccurredAt = T0 };
        await notifications.AddAsync([new PlannedAlert(AlertPlanner.NotificationId(facts.EventId, facts.Kind, null, null), facts, null, null, null, null, OwnerLanguages.Spanish)], T0.AddSeconds(4));
        await deadLetters.AddAsync(
        [
            new DeadLetter("m-small", DeadLetterSource.Intake, "not json", T0, T0.AddSeconds(5), Encoding.UTF8.GetBytes("{ñ"), "w", MetaFields.StatusUpdate, 0),
            new DeadLetter("m-large", DeadLetterSource.Poison, "kept failing", T0, T0.AddSeconds(6), RandomBytes(random, 80_000), null, null, 10),
        ]);

        var reads = new JsonObject
        {
            ["templates"] = Node((await templates.QueryTemplatesAsync(new TemplateQuery())).Items),
            ["template1"] = Node(await templates.GetTemplateAsync(1)),
            ["template2"] = Node(await templates.GetTemplateAsync(2)),
            ["events"] = Node((await templates.QueryEventsAsync(new EventQuery())).Items),
            ["eventsOfTemplate1"] = Node((await templates.QueryEventsAsync(new EventQuery(TemplateId: 1))).Items),
            ["raw"] = Node(await Task.WhenAll(events.Select(e => templates.GetEventRawAsync(e.EventId)))),
            ["owners"] = Node(await notifications.ListOwnersAsync()),
            ["notifications"] = Node((await notifications.QueryAsync(new NotificationQuery())).Items),
            ["notificationStats"] = Node(await notifications.GetStatsAsync()),
            ["deadLetters"] = Node((await deadLetters.ListDeadLettersAsync(10, null)).Items),
        };
        var summaries = (await deadLetters.ListDeadLettersAsync(10, null)).Items;
        reads["deadLetterBodies"] = Node(await Task.WhenAll(summaries.Select(s => deadLetters.GetDeadLetterAsync(s.Id))));

        var tables = new JsonObject();
        foreach (var table in names.All)
        {
            tables[table[names.Prefix.Length..]] = await DumpAsync(table);
        }

        var fixture = new JsonObject { ["tables"] = tables, ["reads"] = reads };
        if (target is not null)
        {
            await File.WriteAllTextAsync(target, fixture.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
    }

    private async Task<JsonArray> DumpAsync(string table)
    {
        var capture = new CapturePolicy();
        var options = new global::Azure.Data.Tables.TableClientOptions();
        options.AddPolicy(capture, HttpPipelinePosition.PerRetry);
        var sdk = new global::Azure.Data.Tables.TableClient(azurite.ConnectionString, table, options);
        var rows = new JsonArray();
        await foreach (var page in sdk.QueryAsync<global::Azure.Data.Tables.TableEntity>().AsPages())
        {
            var json = JsonNode.Parse(capture.Last!)!["value"]!.AsArray();
            foreach (var row in json)
            {
                var entity = row!.AsObject();
                foreach (var name in entity.Select(p => p.Key).Where(n => n.StartsWith("odata.", StringComparison.Ordinal) || n.StartsWith("Timestamp", StringComparison.Ordinal)).ToList())
                {
                    entity.Remove(name);
                }

                rows.Add(entity.DeepClone());
            }
        }

        return rows;
    }

    private static JsonNode? Node<T>(T value) => JsonSerializer.SerializeToNode(value);

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static TemplateEvent Status(string id, long templateId, string name, string status, int seconds, string raw) => new()
    {
        EventId = id,
        WabaId = "w",
        Field = MetaFields.StatusUpdate,
        Kind = EventKind.Status,
        Event = status,
        TemplateId = templateId,
        TemplateName = name,
        Language = "en",
        OccurredAt = T0.AddSeconds(seconds),
        ReceivedAt = T0,
        Raw = raw,
    };

    private sealed class CapturePolicy : HttpPipelinePolicy
    {
        public string? Last { get; private set; }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw new NotSupportedException();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            Last = message.Response.Content.ToString();
        }
    }
}
