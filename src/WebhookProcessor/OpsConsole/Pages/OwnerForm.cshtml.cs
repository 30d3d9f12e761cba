using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using WebhookProcessor.Notifications;
using WebhookProcessor.Ops;

namespace WebhookProcessor.OpsConsole.Pages;

/// <summary>
/// Creates (<c>/console/owners/new</c>) or edits (<c>/console/owners/{id}</c>) one owner, operators only.
/// Saving is <see cref="OwnerSaving"/>, what <c>PUT /api/owners/{id}</c> does, so the validator's words
/// come back beside the field they concern.
/// </summary>
public sealed class OwnerFormModel(INotificationStore store, IOptions<NotificationOptions> options, TimeProvider clock) : ConsolePageModel
{
    /// <summary>The form's fields by the API's field names, so the validator's keys find them.</summary>
    public static readonly IReadOnlyDictionary<string, string> FieldIds = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ownerId"] = "owner-id",
        ["displayName"] = "display-name",
        ["emails"] = "emails",
        ["teamsWebhookUrl"] = "teams-url",
        ["language"] = "language",
        ["match.wabaId"] = "waba-id",
        ["match.templateNamePattern"] = "name-pattern",
    };

    /// <summary>From the route on the edit page; null on the new-owner page.</summary>
    [FromRoute(Name = "id")]
    public string? RouteId { get; set; }

    [BindProperty]
    public string? OwnerId { get; set; }

    [BindProperty]
    public string? DisplayName { get; set; }

    /// <summary>One address a line (commas and semicolons separate too).</summary>
    [BindProperty]
    public string? Emails { get; set; }

    /// <summary>A new Teams URL; empty on the edit page keeps the current one (which is never sent to the browser).</summary>
    [BindProperty]
    public string? TeamsWebhookUrl { get; set; }

    [BindProperty]
    public bool RemoveTeams { get; set; }

    [BindProperty]
    public string? Language { get; set; }

    [BindProperty]
    public string? WabaId { get; set; }

    [BindProperty]
    public string? TemplateNamePattern { get; set; }

    public bool IsNew => RouteId is null;

    /// <summary>The host of the Teams URL stored now (edit page), to say which one is kept.</summary>
    public string? CurrentTeamsHost { get; private set; }

    /// <summary>Each wrong field's id (see <see cref="FieldIds"/>) with the validator's messages.</summary>
    public Dictionary<string, List<string>> FieldErrors { get; } = new(StringComparer.Ordinal);

    public string? Error { get; private set; }

    public string? ErrorOf(string fieldId) => FieldErrors.TryGetValue(fieldId, out var messages) ? string.Join(" ", messages) : null;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!CanChange)
        {
            return Forbid();
        }

        if (IsNew)
        {
            Language = OwnerLanguages.Spanish;
            return Page();
        }

        if (await store.GetOwnerAsync(RouteId!, cancellationToken) is not { } owner)
        {
            return NotFound();
        }

        OwnerId = owner.Id;
        DisplayName = owner.DisplayName;
        Emails = string.Join("\n", owner.Emails);
        Language = owner.Language;
        WabaId = owner.Match.WabaId;
        TemplateNamePattern = owner.Match.TemplateNamePattern;
        CurrentTeamsHost = OwnersModel.TeamsHost(owner);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // Razor Pages ignores authorization attributes on handler methods, so the role is checked here.
        if (!CanChange)
        {
            return Forbid();
        }

        var id = IsNew ? OwnerId?.Trim() : RouteId;
        Owner? existing = null;
        if (IsNew)
        {
            // PUT would replace an owner with this id; a form meant to create one must not overwrite silently.
            if (!string.IsNullOrEmpty(id) && await store.GetOwnerAsync(id, cancellationToken) is not null)
            {
                AddError("ownerId", T["An owner with this id exists already; edit it instead, or choose another id."]);
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            }
        }
        else
        {
            existing = await store.GetOwnerAsync(id!, cancellationToken);
            if (existing is null)
            {
                return NotFound();
            }

            CurrentTeamsHost = OwnersModel.TeamsHost(existing);
        }

        var teams = RemoveTeams ? null : string.IsNullOrWhiteSpace(TeamsWebhookUrl) ? existing?.TeamsWebhookUrl : TeamsWebhookUrl;
        var emails = (Emails ?? string.Empty).Split(['\n', '\r', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var input = new OwnerInput(id, DisplayName, emails, teams, Language, new OwnerMatchInput(WabaId, TemplateNamePattern));

        var attempt = await OwnerSaving.SaveAsync(id, input, store, options.Value, clock.GetUtcNow(), cancellationToken);
        if (attempt is { Owner: { } owner, Saved: { } saved })
        {
            if (saved.ClashingOwnerId is { } clash)
            {
                Response.StatusCode = StatusCodes.Status409Conflict;
                Error = T["Another owner has the same match."] + " " + OwnerSaving.ClashDetail(owner, clash);
                return Page();
            }

            return RedirectToPage("/Owners", new { Saved = owner.Id });
        }

        foreach (var (field, messages) in attempt.Errors)
        {
            foreach (var message in messages)
            {
                AddError(field, message);
            }
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        Error = T["Some fields need a change; see the messages beside them."];
        return Page();
    }

    private void AddError(string field, string message)
    {
        // "emails[2]" belongs to the e-mail box; anything unknown goes at the top.
        var key = field.StartsWith("emails", StringComparison.Ordinal) ? "emails" : field;
        if (!FieldIds.TryGetValue(key, out var fieldId))
        {
            Error = (Error is null ? string.Empty : Error + " ") + message;
            return;
        }

        if (!FieldErrors.TryGetValue(fieldId, out var list))
        {
            FieldErrors[fieldId] = list = [];
        }

        list.Add(message);
    }

    /// <summary>The attributes that tie a field to its error, when it has one.</summary>
    public (string? DescribedBy, string Invalid) Aria(string fieldId, string? hint = null)
    {
        var error = FieldErrors.ContainsKey(fieldId) ? fieldId + "-error" : null;
        var describedBy = string.Join(' ', new[] { hint, error }.Where(s => s is not null));
        return (describedBy.Length == 0 ? null : describedBy, error is null ? "false" : "true");
    }

    public string Heading => IsNew ? T["New owner"] : string.Format(CultureInfo.InvariantCulture, T["Owner {0}"], RouteId);
}
