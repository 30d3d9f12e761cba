namespace WebhookProcessor.OpsConsole.Pages;

/// <summary>The overview (counts, upcoming changes, recent rejections, failures, queue, a 30-day chart).</summary>
public sealed class IndexModel : ConsolePageModel
{
    public void OnGet()
    {
    }
}
