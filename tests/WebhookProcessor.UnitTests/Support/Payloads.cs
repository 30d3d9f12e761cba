using System.Globalization;
using System.Text;
using WebhookProcessor.Catalog;
using WebhookProcessor.Processing;
using WebhookProcessor.Queue;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.UnitTests.Support;

/// <summary>Builds webhook bodies from JSON fragments and runs them through intake and parsing.</summary>
internal static class Payloads
{
    public const string WabaId = "102290129340398";
    public const long EntryTime = 1751247548;

    /// <summary>2025-06-30 01:39:08 UTC, the moment <see cref="EntryTime"/> stands for.</summary>
    public static readonly DateTimeOffset EntryMoment = new(2025, 6, 30, 1, 39, 8, TimeSpan.Zero);

    /// <summary>A fixed receipt time, deliberately far from any entry time used in the tests.</summary>
    public static readonly DateTimeOffset ReceivedAt = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    public static string Change(string field, string valueJson) =>
        $$"""{"field":"{{field}}","value":{{valueJson}}}""";

    /// <summary>One entry; <paramref name="time"/> null leaves <c>time</c> out.</summary>
    public static string Entry(string wabaId, long? time, params string[] changes)
    {
        var timePart = time is { } t ? string.Create(CultureInfo.InvariantCulture, $"\"time\":{t},") : string.Empty;
        return $$"""{"id":"{{wabaId}}",{{timePart}}"changes":[{{string.Join(",", changes)}}]}""";
    }

    public static string Envelope(params string[] entries) =>
        $$"""{"object":"whatsapp_business_account","entry":[{{string.Join(",", entries)}}]}""";

    /// <summary>A whole body with one entry (default account and time) holding the given changes.</summary>
    public static string Body(params string[] changes) => Envelope(Entry(WabaId, EntryTime, changes));

    public static IngestBatch Read(string body) => EnvelopeReader.Read(Encoding.UTF8.GetBytes(body), ReceivedAt);

    public static IngestBatch Read(byte[] body) => EnvelopeReader.Read(body, ReceivedAt);

    /// <summary>Reads a body that must hold exactly one good change, and parses it.</summary>
    public static TemplateEvent ParseSingle(string body) => ParseSingle(Encoding.UTF8.GetBytes(body));

    public static TemplateEvent ParseSingle(byte[] body)
    {
        var batch = Read(body);
        Assert.Empty(batch.DeadLetters);
        var message = Assert.Single(batch.Changes);
        return TemplateEventParser.Parse(message);
    }

    /// <summary>Parses one change of <paramref name="field"/> with <paramref name="valueJson"/> under the default entry.</summary>
    public static TemplateEvent ParseValue(string field, string valueJson) => ParseSingle(Body(Change(field, valueJson)));

    /// <summary>A queue message built directly, bypassing the envelope reader.</summary>
    public static ChangeMessage Message(string field, string valueJson, long? entryTime = EntryTime) =>
        new("0123456789abcdef0123456789abcdef", WabaId, field, entryTime, ReceivedAt, Change(field, valueJson));
}
