using System.Globalization;
using WebhookProcessor.Catalog;

namespace WebhookProcessor.Ops;

/// <summary>Reads ops query parameters, collecting one clear message per bad parameter.</summary>
internal sealed class QueryReader(IQueryCollection query)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public Dictionary<string, string[]> Errors { get; } = [];

    public string? Text(string name) => string.IsNullOrWhiteSpace(query[name]) ? null : query[name].ToString().Trim();

    public long? TemplateId(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
        {
            return id;
        }

        Errors[name] = [$"{name} must be a template id: a positive whole number such as 1689556908129832."];
        return null;
    }

    public DateTimeOffset? Time(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        Errors[name] = [$"{name} must be an ISO 8601 date or time, such as 2026-05-01 or 2026-05-01T07:00:00Z."];
        return null;
    }

    /// <summary>The history search's parameters, as the API and the console's events page both read them.</summary>
    public EventQuery EventQuery() => new(
        WabaId: Text("wabaId"),
        TemplateId: TemplateId("templateId"),
        Field: Text("field"),
        Event: Upper("event"),
        Kind: Kind(),
        From: Time("from"),
        To: Time("to"),
        Limit: Limit(),
        Cursor: Cursor());

    public int Limit()
    {
        var text = Text("limit");
        if (text is null)
        {
            return DefaultLimit;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= MaxLimit)
        {
            return limit;
        }

        Errors["limit"] = [$"limit must be a whole number from 1 to {MaxLimit}."];
        return DefaultLimit;
    }

    public bool? Boolean(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Errors[name] = [$"{name} must be true or false."];
        return null;
    }

    public EventKind? Kind()
    {
        var text = Text("kind");
        if (text is null)
        {
            return null;
        }

        if (EventKindNames.FromApiName(text) is { } kind)
        {
            return kind;
        }

        Errors["kind"] = [$"kind must be one of: {string.Join(", ", Enum.GetValues<EventKind>().Select(k => k.ToApiName()))}."];
        return null;
    }

    /// <summary>Upper-cases enum-like filters so <c>status=approved</c> finds APPROVED.</summary>
    public string? Upper(string name) => Text(name)?.ToUpperInvariant();

    public string? Cursor() => Text("cursor");
}
