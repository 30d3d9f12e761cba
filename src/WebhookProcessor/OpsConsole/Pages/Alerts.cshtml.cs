using Microsoft.AspNetCore.Mvc;
using WebhookProcessor.Notifications;
using WebhookProcessor.Ops;

namespace WebhookProcessor.OpsConsole.Pages;

/// <summary>
/// The alert outbox, newest first, by status and kind, with Retry on failed and unrouted alerts. It reads
/// the store the ops API reads, and a retry is <see cref="AlertRetry"/>, exactly what the API's retry does.
/// </summary>
public sealed class AlertsModel(INotificationStore store, AlertSignals signals, TimeProvider clock) : ConsolePageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    /// <summary>The alert just re-sent (after the redirect that follows a retry).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Retried { get; set; }

    public IReadOnlyList<Notification> Items { get; private set; } = [];

    public string? NextCursor { get; private set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public bool Filtered => Status is not null || Kind is not null;

    public static bool CanRetry(Notification n) => n.Status is NotificationStatus.Failed or NotificationStatus.Unrouted;

    /// <summary>What ops may see of a recipient: an e-mail address whole, a Teams URL only as its host (the URL is a credential).</summary>
    public static string? RecipientShown(Notification n) =>
        n.Channel == AlertChannel.Teams && n.Recipient is { } url ? WebhookUrls.HostOf(url) : n.Recipient;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Retried is not null && await store.GetAsync(Retried, cancellationToken) is { } retried)
        {
            Message = string.Format(System.Globalization.CultureInfo.InvariantCulture, T["Alert re-sent; it is now {0}."], T[retried.Status]);
        }

        return await ListAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostRetryAsync(string? id, CancellationToken cancellationToken)
    {
        // Razor Pages ignores authorization attributes on handler methods, so the role is checked here.
        if (!CanChange)
        {
            return Forbid();
        }

        var result = await AlertRetry.RetryAsync(id ?? string.Empty, store, signals, clock, cancellationToken);
        switch (result.Outcome)
        {
            case AlertRetryOutcome.Resent:
                return RedirectToPage(new { Status, Kind, Retried = id });
            case AlertRetryOutcome.NotFound:
                Response.StatusCode = StatusCodes.Status404NotFound;
                Error = T["There is no such alert."];
                break;
            case AlertRetryOutcome.StillNoOwner:
                Response.StatusCode = StatusCodes.Status409Conflict;
                Error = T["Still no owner matches this alert's template, and there is no default owner. Add one under Owners, then retry."];
                break;
            default:
                Response.StatusCode = StatusCodes.Status409Conflict;
                Error = T["Only failed and unrouted alerts can be re-sent; this one changed meanwhile."];
                break;
        }

        return await ListAsync(cancellationToken);
    }

    private async Task<IActionResult> ListAsync(CancellationToken cancellationToken)
    {
        Status = NotificationStatus.All.Contains(Status?.Trim().ToLowerInvariant()) ? Status!.Trim().ToLowerInvariant() : null;
        Kind = AlertKinds.All.Contains(Kind?.Trim().ToLowerInvariant()) ? Kind!.Trim().ToLowerInvariant() : null;
        try
        {
            var page = await store.QueryAsync(new NotificationQuery(null, Status, Kind, null, PageSize, Cursor), cancellationToken);
            Items = page.Items;
            NextCursor = page.NextCursor;
        }
        catch (FormatException)
        {
            // A cursor that was edited by hand: start again from the newest.
            Cursor = null;
            var page = await store.QueryAsync(new NotificationQuery(null, Status, Kind, null, PageSize), cancellationToken);
            Items = page.Items;
            NextCursor = page.NextCursor;
        }

        return Page();
    }
}
