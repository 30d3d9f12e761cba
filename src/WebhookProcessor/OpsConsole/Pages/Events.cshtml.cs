using Microsoft.AspNetCore.Http.Extensions;
using WebhookProcessor.Catalog;
using WebhookProcessor.Ops;

namespace WebhookProcessor.OpsConsole.Pages;

/// <summary>
/// The event history search of <c>GET /api/events</c> as a page: the same parameters, read by the same
/// <see cref="QueryReader"/>, answered by the same store query; newest first, paged by the store's cursor.
/// One event's raw change is read only when asked for (<c>?raw={eventId}</c>).
/// </summary>
public sealed class EventsModel(ITemplateStore store) : ConsolePageModel
{
    /// <summary>The filter parameters, in form order; the API's names.</summary>
    public static readonly string[] FilterNames = ["wabaId", "templateId", "field", "event", "kind", "from", "to"];

    /// <summary>What each parameter must look like, in the viewer's language (the API's messages are English).</summary>
    private static readonly Dictionary<string, string> Messages = new(StringComparer.Ordinal)
    {
        ["templateId"] = "Enter a template id: a positive whole number such as 1689556908129832.",
        ["from"] = "Enter an ISO 8601 date or time, such as 2026-05-01 or 2026-05-01T07:00:00Z.",
        ["to"] = "Enter an ISO 8601 date or time, such as 2026-05-01 or 2026-05-01T07:00:00Z.",
        ["kind"] = "Choose one of the listed kinds.",
        ["limit"] = "limit must be a whole number from 1 to 500.",
        ["cursor"] = "That page link is not valid (it may be from another search); start again from the first page.",
    };

    public IReadOnlyList<StoredEvent> Items { get; private set; } = [];

    public string? NextCursor { get; private set; }

    public bool OnFirstPage { get; private set; } = true;

    /// <summary>Problems with the query, by parameter name, as phrases of the viewer's language.</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public string? RawEventId { get; private set; }

    /// <summary>The raw change asked for, or null when none was asked for or there is no such event.</summary>
    public string? Raw { get; private set; }

    public string Value(string name) => Request.Query[name].ToString();

    public bool Filtered => FilterNames.Any(n => !string.IsNullOrWhiteSpace(Value(n)));

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var q = new QueryReader(Request.Query);
        var query = q.EventQuery();
        OnFirstPage = query.Cursor is null;
        RawEventId = q.Text("raw");
        if (RawEventId is not null)
        {
            Raw = await store.GetEventRawAsync(RawEventId, cancellationToken);
        }

        foreach (var name in q.Errors.Keys)
        {
            Errors[name] = T[Messages.GetValueOrDefault(name, "This value is not valid.")];
        }

        if (Errors.Count > 0)
        {
            return;
        }

        try
        {
            var page = await store.QueryEventsAsync(query, cancellationToken);
            Items = page.Items;
            NextCursor = page.NextCursor;
        }
        catch (FormatException)
        {
            // Only the cursor can be malformed here: the filters were checked above.
            Errors["cursor"] = T[Messages["cursor"]];
        }
    }

    /// <summary>This page's address with some parameters replaced (null removes one); path base included.</summary>
    public string With(params (string Name, string? Value)[] changes)
    {
        var query = new QueryBuilder();
        var changed = changes.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, values) in Request.Query)
        {
            if (!changed.Contains(name))
            {
                foreach (var value in values)
                {
                    query.Add(name, value ?? "");
                }
            }
        }

        foreach (var (name, value) in changes)
        {
            if (value is not null)
            {
                query.Add(name, value);
            }
        }

        return Request.PathBase + Request.Path + query.ToQueryString();
    }

    /// <summary>What happened, in a few words: the status and reason, the category change, the quality change.</summary>
    public string Summary(TemplateEvent e) => e.Kind switch
    {
        EventKind.Status => Join(e.Event, e.RejectionReason ?? (e.Reason is "NONE" ? null : e.Reason)),
        EventKind.CategoryChangePending or EventKind.CategoryChanged => $"{e.PreviousCategory ?? e.Category ?? "?"} → {e.NewCategory ?? "?"}",
        EventKind.Quality => $"{e.PreviousQualityScore ?? "?"} → {e.NewQualityScore ?? "?"}",
        EventKind.CorrectCategoryDetected => $"{e.Category ?? "?"} → {e.CorrectCategory ?? "?"}",
        _ => Join(e.Event, e.Reason),
    };

    private static string Join(string? first, string? second) =>
        string.Join(": ", new[] { first, second }.Where(s => !string.IsNullOrWhiteSpace(s)));
}
