using System.Globalization;
using Microsoft.Extensions.Options;
using WebhookProcessor.Catalog;
using WebhookProcessor.Notifications;
using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.OpsConsole.Pages.Templates;

/// <summary>
/// The catalog, filtered and paged through the same store query as <c>GET /api/templates</c>. Without
/// a sort or an owner filter it pages by the store's cursor (template id order). A sort or an owner
/// filter needs every match: the matches are then read in store pages (at most <see cref="MaxSorted"/>),
/// owners resolved as the API does, and the result sorted and paged by number.
/// </summary>
public sealed class IndexModel(ITemplateStore store, INotificationStore notifications, IOptions<ReconciliationOptions> reconciliation, TimeProvider clock) : ConsolePageModel
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>How many matches a sorted or owner-filtered listing reads at most; beyond it the page says so.</summary>
    public const int MaxSorted = 10_000;

    public static readonly IReadOnlyList<string> Statuses = ["APPROVED", "PENDING", "REJECTED", "PAUSED", "DISABLED", "IN_APPEAL", "LIMIT_EXCEEDED", "ARCHIVED", "DELETED", "PENDING_DELETION", "REINSTATED", "FLAGGED"];
    public static readonly IReadOnlyList<string> Categories = ["MARKETING", "UTILITY", "AUTHENTICATION"];
    public static readonly IReadOnlyList<string> Qualities = ["GREEN", "YELLOW", "RED", "UNKNOWN"];
    public static readonly IReadOnlyList<string> Sorts = ["name", "status", "category", "pending", "last-event"];

    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "name")] public string? Name { get; set; }
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "wabaId")] public string? WabaId { get; set; }
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "status")] public string? Status { get; set; }
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "category")] public string? Category { get; set; }
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "quality")] public string? Quality { get; set; }
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "owner")] public string? Owner { get; set; }
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "pending")] public string? Pending { get; set; }
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "sort")] public string? Sort { get; set; }
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "cursor")] public string? Cursor { get; set; }
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "page")] public int PageNumber { get; set; } = 1;
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "limit")] public int Limit { get; set; } = DefaultPageSize;

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public IReadOnlyList<string> Accounts { get; private set; } = [];
    public IReadOnlyList<Owner> Owners { get; private set; } = [];
    public string? NextCursor { get; private set; }
    public bool HasNextPage { get; private set; }
    public bool Truncated { get; private set; }
    public bool BadCursor { get; private set; }

    /// <summary>Whether the listing reads every match (a sort or an owner filter) and pages by number.</summary>
    public bool Numbered => Sort is not null || Owner is not null;

    public sealed record Row(TemplateRecord Template, ResolvedOwner? Owner, bool Overdue);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Name = Blank(Name);
        WabaId = Blank(WabaId);
        Status = Blank(Status)?.ToUpperInvariant();
        Category = Blank(Category)?.ToUpperInvariant();
        Quality = Blank(Quality)?.ToUpperInvariant();
        Owner = Blank(Owner);
        Sort = Sorts.Contains(Blank(Sort)) ? Sort : null;
        Pending = Blank(Pending) is "yes" or "no" ? Pending : null;
        Limit = Math.Clamp(Limit, 1, MaxPageSize);
        PageNumber = Math.Max(1, PageNumber);

        Accounts = await store.ListAccountsAsync(cancellationToken);
        Owners = await notifications.ListOwnersAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var grace = reconciliation.Value.OverdueGrace;
        Row ToRow(TemplateRecord t) => new(t, OwnerRouting.Resolve(Owners, t.WabaId, t.Name), t.PendingCategoryChange is { } p && PendingChanges.IsOverdue(p, now, grace));

        var query = new TemplateQuery(
            WabaId: WabaId,
            Status: Status,
            Category: Category,
            PendingChange: Pending switch { "yes" => true, "no" => false, _ => null },
            Limit: Limit,
            NameContains: Name,
            Quality: Quality);

        if (!Numbered)
        {
            try
            {
                var page = await store.QueryTemplatesAsync(query with { Cursor = Blank(Cursor) }, cancellationToken);
                Rows = page.Items.Select(ToRow).ToList();
                NextCursor = page.NextCursor;
                HasNextPage = NextCursor is not null;
            }
            catch (FormatException)
            {
                BadCursor = true;
            }

            return;
        }

        var all = new List<Row>();
        string? cursor = null;
        do
        {
            var page = await store.QueryTemplatesAsync(query with { Limit = 500, Cursor = cursor }, cancellationToken);
            all.AddRange(page.Items.Select(ToRow).Where(r => Owner is null || string.Equals(r.Owner?.Owner.Id, Owner, StringComparison.Ordinal)));
            cursor = page.NextCursor;
            Truncated = cursor is not null && all.Count >= MaxSorted;
        }
        while (cursor is not null && !Truncated);

        IEnumerable<Row> sorted = Sort switch
        {
            "name" => all.OrderBy(r => r.Template.Name, StringComparer.Ordinal),
            "status" => all.OrderBy(r => r.Template.Status, StringComparer.Ordinal),
            "category" => all.OrderBy(r => r.Template.Category, StringComparer.Ordinal),
            // Soonest change first; changes without a date after dated ones, templates without a change last.
            "pending" => all.OrderBy(r => r.Template.PendingCategoryChange is null ? 2 : r.Template.PendingCategoryChange.EffectiveAt is null ? 1 : 0)
                .ThenBy(r => r.Template.PendingCategoryChange?.EffectiveAt),
            "last-event" => all.OrderByDescending(r => r.Template.LastEventAt),
            _ => all,
        };
        var skip = (PageNumber - 1) * Limit;
        Rows = sorted.Skip(skip).Take(Limit).ToList();
        HasNextPage = all.Count > skip + Limit;
    }

    /// <summary>This listing's query string with some values changed (null removes one), for sort and paging links.</summary>
    public string Link(string? cursor = null, int? page = null) => QueryString.Create(new Dictionary<string, string?>
    {
        ["name"] = Name,
        ["wabaId"] = WabaId,
        ["status"] = Status,
        ["category"] = Category,
        ["quality"] = Quality,
        ["owner"] = Owner,
        ["pending"] = Pending,
        ["sort"] = Sort,
        ["limit"] = Limit == DefaultPageSize ? null : Limit.ToString(CultureInfo.InvariantCulture),
        ["cursor"] = cursor,
        ["page"] = page?.ToString(CultureInfo.InvariantCulture),
    }.Where(p => p.Value is not null)).ToUriComponent();

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
