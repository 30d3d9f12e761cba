using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
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
/// Deployed data survives the move to Azure.Data.Tables: the rows the REST-client stores wrote
/// (Fixtures/legacy-tables.json, see its README) read back through today's stores exactly as the old
/// stores read them, and the same scenario run through today's stores writes the same rows.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LegacyTableRowsTests(AzuriteServer azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly JsonObject _fixture = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Azure", "Fixtures", "legacy-tables.json")))!.AsObject();
    private readonly AzuriteTables _tables = new(azurite, "lg");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _tables.DisposeAsync().AsTask();

    [Fact]
    public async Task Stores_RowsWrittenByTheRestClient_ReadBackAsTheyDidThen()
    {
        foreach (var table in _tables.Names.All)
        {
            var client = _tables.Client.GetTableClient(table);
            await client.CreateIfNotExistsAsync();
            foreach (var row in Rows(table))
            {
                await client.UpsertEntityAsync(ToEntity(row), TableUpdateMode.Replace);
            }
        }

        // What was written is the fixture, EDM types included: the reads below start from the old rows.
        foreach (var table in _tables.Names.All)
        {
            Assert.Equal(Normalized(Rows(table)), Normalized(await DumpAsync(table)));
        }

        // The fixture covers values over the property limit, split into chunks.
        Assert.Contains(Rows(_tables.Names.Catalog), r => r.ContainsKey("RawGzip__1"));
        Assert.Contains(Rows(_tables.Names.DeadLetters), r => r.ContainsKey("BodyGzip__1"));

        var expected = _fixture["reads"]!.AsObject();
        var actual = await ReadAllAsync();
        foreach (var (name, value) in expected)
        {
            DropFieldsAddedSince(value, actual[name]);
            Assert.True(JsonNode.DeepEquals(value, actual[name]), $"'{name}' reads differently now:\nthen {value?.ToJsonString()[..Math.Min(2000, value.ToJsonString().Length)]}\nnow  {actual[name]?.ToJsonString()[..Math.Min(2000, actual[name]!.ToJsonString().Length)]}");
        }
    }

    [Fact]
    public async Task Stores_TheCapturedScenario_WriteTheRowsTheRestClientWrote()
    {
        await RunScenarioAsync();

        foreach (var table in _tables.Names.All)
        {
            var then = Rows(table);
            var now = await DumpAsync(table);
            if (table == _tables.Names.DeadLetters)
            {
                // A letter's id (its row key) has a random part, and claim rows are new: compare the letters without their ids.
                now = now.Where(r => !r["RowKey"]!.GetValue<string>().StartsWith("m_", StringComparison.Ordinal)).ToList();
                then = then.Select(WithoutId).ToList();
                now = now.Select(WithoutId).ToList();
            }

            Assert.Equal(Normalized(then), Normalized(now));
        }
    }

    private async Task RunScenarioAsync()
    {
        var templates = new TableTemplateStore(_tables.Client, _tables.Names, NullLogger<TableTemplateStore>.Instance);
        var notifications = new TableNotificationStore(_tables.Client, _tables.Names);
        var deadLetters = new TableDeadLetterStore(_tables.Client, _tables.Names);

        // As LegacyTableCapture ran it against the REST-client stores (see Fixtures/README.md).
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
    }

    /// <summary>The reads LegacyTableCapture recorded, made through today's stores.</summary>
    private async Task<JsonObject> ReadAllAsync()
    {
        var templates = new TableTemplateStore(_tables.Client, _tables.Names, NullLogger<TableTemplateStore>.Instance);
        var notifications = new TableNotificationStore(_tables.Client, _tables.Names);
        var deadLetters = new TableDeadLetterStore(_tables.Client, _tables.Names);
        string[] eventIds = ["e1", "e2", "e3", "e4/#?"];
        var reads = new JsonObject
        {
            ["templates"] = Node((await templates.QueryTemplatesAsync(new TemplateQuery())).Items),
            ["template1"] = Node(await templates.GetTemplateAsync(1)),
            ["template2"] = Node(await templates.GetTemplateAsync(2)),
            ["events"] = Node((await templates.QueryEventsAsync(new EventQuery())).Items),
            ["eventsOfTemplate1"] = Node((await templates.QueryEventsAsync(new EventQuery(TemplateId: 1))).Items),
            ["raw"] = Node(await Task.WhenAll(eventIds.Select(id => templates.GetEventRawAsync(id)))),
            ["owners"] = Node(await notifications.ListOwnersAsync()),
            ["notifications"] = Node((await notifications.QueryAsync(new NotificationQuery())).Items),
            ["notificationStats"] = Node(await notifications.GetStatsAsync()),
            ["deadLetters"] = Node((await deadLetters.ListDeadLettersAsync(10, null)).Items),
        };
        var summaries = (await deadLetters.ListDeadLettersAsync(10, null)).Items;
        reads["deadLetterBodies"] = Node(await Task.WhenAll(summaries.Select(s => deadLetters.GetDeadLetterAsync(s.Id))));
        return reads;
    }

    private List<JsonObject> Rows(string table) =>
        _fixture["tables"]![table[_tables.Names.Prefix.Length..]]!.AsArray().Select(r => r!.AsObject()).ToList();

    /// <summary>Each row as its properties and annotations, in name order, as JSON text: the stored content, whatever the order on the wire.</summary>
    private static List<string> Normalized(IEnumerable<JsonObject> rows) =>
        rows.Select(r => string.Join("\n", r.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value?.ToJsonString()))).Order(StringComparer.Ordinal).ToList();

    private static JsonObject WithoutId(JsonObject row)
    {
        var copy = row.DeepClone().AsObject();
        copy.Remove("RowKey");
        copy.Remove("Id");
        return copy;
    }

    /// <summary>A fixture row as an SDK entity whose values have the EDM types the annotations name.</summary>
    private static TableEntity ToEntity(JsonObject row)
    {
        var entity = new TableEntity(row["PartitionKey"]!.GetValue<string>(), row["RowKey"]!.GetValue<string>());
        foreach (var (name, value) in row)
        {
            if (name is "PartitionKey" or "RowKey" || name.EndsWith("@odata.type", StringComparison.Ordinal))
            {
                continue;
            }

            var type = row[name + "@odata.type"]?.GetValue<string>();
            entity[name] = type switch
            {
                "Edm.Int64" => long.Parse(value!.GetValue<string>(), CultureInfo.InvariantCulture),
                "Edm.DateTime" => DateTimeOffset.Parse(value!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal),
                "Edm.Binary" => Convert.FromBase64String(value!.GetValue<string>()),
                null => value!.GetValueKind() switch
                {
                    JsonValueKind.String => value.GetValue<string>(),
                    JsonValueKind.True or JsonValueKind.False => value.GetValue<bool>(),
                    JsonValueKind.Number => value.GetValue<int>(),
                    var kind => throw new InvalidOperationException($"{name}: no EDM type for a JSON {kind}."),
                },
                _ => throw new InvalidOperationException($"{name}: the fixture has no {type} values; add its conversion here."),
            };
        }

        return entity;
    }

    /// <summary>Every row of a table as the service returns it (values with their @odata.type annotations), without metadata and Timestamp.</summary>
    private async Task<List<JsonObject>> DumpAsync(string table)
    {
        var capture = new LastResponse();
        var options = new TableClientOptions();
        options.AddPolicy(capture, HttpPipelinePosition.PerRetry);
        var client = new TableClient(azurite.ConnectionString, table, options);
        var rows = new List<JsonObject>();
        await foreach (var _ in client.QueryAsync<TableEntity>().AsPages())
        {
            foreach (var row in JsonNode.Parse(capture.Body!)!["value"]!.AsArray())
            {
                var entity = row!.DeepClone().AsObject();
                foreach (var name in entity.Select(p => p.Key).Where(n => n.StartsWith("odata.", StringComparison.Ordinal) || n.StartsWith("Timestamp", StringComparison.Ordinal)).ToList())
                {
                    entity.Remove(name);
                }

                rows.Add(entity);
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

    /// <summary>Keeps the body of the last response, to see entities as the service sent them.</summary>
    private sealed class LastResponse : HttpPipelinePolicy
    {
        public string? Body { get; private set; }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw new NotSupportedException("Async only.");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            Body = message.Response.Content.ToString();
        }
    }

    /// <summary>
    /// Removes from <paramref name="now"/> the members that read as null and that the old reads did not
    /// have: fields added to the read models since (a dead letter's <c>Description</c>), which old rows
    /// cannot carry. An event's <c>Source</c> is such a field too, but not a nullable one: old rows have
    /// none and must read as webhooks, so it is dropped only when it is exactly that. Any other
    /// difference still fails the comparison.
    /// </summary>
    private static void DropFieldsAddedSince(JsonNode? then, JsonNode? now)
    {
        switch (then, now)
        {
            case (JsonObject a, JsonObject b):
                foreach (var key in b.Select(p => p.Key).ToList())
                {
                    if (!a.ContainsKey(key) && (b[key] is null || IsWebhookSource(key, b[key])))
                    {
                        b.Remove(key);
                    }
                    else if (a.ContainsKey(key))
                    {
                        DropFieldsAddedSince(a[key], b[key]);
                    }
                }

                break;
            case (JsonArray a, JsonArray b):
                for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
                {
                    DropFieldsAddedSince(a[i], b[i]);
                }

                break;
        }
    }

    private static bool IsWebhookSource(string key, JsonNode? value) =>
        key == nameof(TemplateEvent.Source) && JsonNode.DeepEquals(value, JsonSerializer.SerializeToNode(EventSource.Webhook));
}
