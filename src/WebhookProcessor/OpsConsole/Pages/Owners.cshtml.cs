using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using WebhookProcessor.Notifications;

namespace WebhookProcessor.OpsConsole.Pages;

/// <summary>Template owners as <c>GET /api/owners</c> lists them, with delete for operators.</summary>
public sealed class OwnersModel(INotificationStore store) : ConsolePageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Saved { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Deleted { get; set; }

    public IReadOnlyList<Owner> Items { get; private set; } = [];

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (Saved is not null)
        {
            Message = string.Format(CultureInfo.InvariantCulture, T["Owner {0} saved."], Saved);
        }
        else if (Deleted is not null)
        {
            Message = string.Format(CultureInfo.InvariantCulture, T["Owner {0} deleted."], Deleted);
        }

        Items = await store.ListOwnersAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostDeleteAsync(string? id, CancellationToken cancellationToken)
    {
        // Razor Pages ignores authorization attributes on handler methods, so the role is checked here.
        if (!CanChange)
        {
            return Forbid();
        }

        // The same store call DELETE /api/owners/{id} makes.
        if (!string.IsNullOrEmpty(id) && await store.DeleteOwnerAsync(id, cancellationToken))
        {
            return RedirectToPage(new { Deleted = id });
        }

        Response.StatusCode = StatusCodes.Status404NotFound;
        Error = T["There is no such owner (any more)."];
        Items = await store.ListOwnersAsync(cancellationToken);
        return Page();
    }

    /// <summary>Only the host of a Teams URL: the rest of it (its query) is the credential that lets anyone post.</summary>
    public static string? TeamsHost(Owner owner) => owner.TeamsWebhookUrl is { } url ? WebhookUrls.HostOf(url) : null;
}
