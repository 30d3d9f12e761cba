using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using WebhookProcessor.Ops;
using WebhookProcessor.Queue;

namespace WebhookProcessor.OpsConsole.Pages;

/// <summary>
/// Dead letters with their raw body on demand, and Replay. It lists through <see cref="IQueueMonitor"/> and
/// replays through <see cref="IDeadLetterReplayer"/>, the services behind <c>/api/dead-letters</c>.
/// </summary>
public sealed class DeadLettersModel(IQueueMonitor monitor, IDeadLetterReplayer replayer) : ConsolePageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    /// <summary>The dead letter whose body to show.</summary>
    [BindProperty(SupportsGet = true, Name = "body")]
    public string? BodyId { get; set; }

    /// <summary>The event id queued again by the replay just done (after its redirect).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Replayed { get; set; }

    public IReadOnlyList<DeadLetterSummary> Items { get; private set; } = [];

    public string? NextCursor { get; private set; }

    /// <summary>The body asked for: its text when it is UTF-8, else null (then <see cref="BodyBase64"/>).</summary>
    public string? BodyText { get; private set; }

    public string? BodyBase64 { get; private set; }

    public long BodyLength { get; private set; }

    public bool BodyFound { get; private set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Replayed is not null)
        {
            Message = string.Format(CultureInfo.InvariantCulture, T["Replayed: event {0} is queued again and the dead letter was removed."], Replayed);
        }

        if (!string.IsNullOrWhiteSpace(BodyId) && BodyId.Length <= OpsEndpoints.MaxDeadLetterIdLength
            && await monitor.GetDeadLetterAsync(BodyId, cancellationToken) is { } stored)
        {
            var body = stored.DeadLetter.Body;
            BodyFound = true;
            BodyLength = body.LongLength;
            BodyText = DeadLetterDto.AsText(body);
            BodyBase64 = BodyText is null ? Convert.ToBase64String(body) : null;
        }

        return await ListAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostReplayAsync(string? id, CancellationToken cancellationToken)
    {
        // Razor Pages ignores authorization attributes on handler methods, so the role is checked here.
        if (!CanChange)
        {
            return Forbid();
        }

        if (string.IsNullOrWhiteSpace(id) || id.Length > OpsEndpoints.MaxDeadLetterIdLength)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Error = T["That is not a dead letter's id."];
            return await ListAsync(cancellationToken);
        }

        var result = await replayer.ReplayAsync(id, cancellationToken);
        if (!result.Found)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            Error = T["There is no such dead letter (any more); perhaps it was replayed already."];
        }
        else if (result.Refusal is { } why)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            Error = T["This dead letter cannot be replayed:"] + " " + why;
        }
        else
        {
            return RedirectToPage(new { Replayed = result.EventId });
        }

        return await ListAsync(cancellationToken);
    }

    private async Task<IActionResult> ListAsync(CancellationToken cancellationToken)
    {
        try
        {
            var page = await monitor.ListDeadLettersAsync(PageSize, Cursor, cancellationToken);
            Items = page.Items;
            NextCursor = page.NextCursor;
        }
        catch (FormatException)
        {
            // A cursor edited by hand: start again from the first page.
            Cursor = null;
            var page = await monitor.ListDeadLettersAsync(PageSize, null, cancellationToken);
            Items = page.Items;
            NextCursor = page.NextCursor;
        }

        return Page();
    }
}
