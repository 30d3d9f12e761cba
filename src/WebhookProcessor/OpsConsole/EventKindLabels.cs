using WebhookProcessor.Catalog;

namespace WebhookProcessor.OpsConsole;

/// <summary>The English phrase (a <see cref="ConsoleTexts"/> key) naming each event kind, by its API name.</summary>
public static class EventKindLabels
{
    public static string Of(string apiName) => EventKindNames.FromApiName(apiName) switch
    {
        EventKind.Status => "Status update",
        EventKind.CategoryChangePending => "Category change announced",
        EventKind.CategoryChanged => "Category changed",
        EventKind.Quality => "Quality update",
        EventKind.Components => "Template edited",
        EventKind.CorrectCategoryDetected => "Correct category detected",
        EventKind.Discovered => "Found by reconciliation",
        EventKind.Deleted => "Deleted (reconciliation)",
        EventKind.PendingChangeCleared => "Pending change cleared",
        _ => "Unknown field",
    };
}
