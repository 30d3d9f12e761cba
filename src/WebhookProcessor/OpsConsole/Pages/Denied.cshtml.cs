namespace WebhookProcessor.OpsConsole.Pages;

/// <summary>Where a read-only session lands when it tries an action.</summary>
public sealed class DeniedModel : ConsolePageModel
{
    public void OnGet()
    {
    }
}
