namespace WebhookProcessor.OpsConsole.Pages.Templates;

/// <summary>The badge colour (a console.css class) for a template's status and quality.</summary>
public static class TemplateBadges
{
    public static string ForStatus(string status) => status switch
    {
        "APPROVED" or "REINSTATED" => "good",
        "REJECTED" or "DISABLED" or "PAUSED" or "DELETED" or "LIMIT_EXCEEDED" => "bad",
        "PENDING" or "IN_APPEAL" or "FLAGGED" or "PENDING_DELETION" => "warn",
        _ => "",
    };

    public static string ForQuality(string quality) => quality switch
    {
        "GREEN" => "good",
        "YELLOW" => "warn",
        "RED" => "bad",
        _ => "",
    };
}
