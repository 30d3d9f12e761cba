namespace WebhookProcessor.Catalog;

public static class EventKindNames
{
    public static string ToApiName(this EventKind kind) => kind switch
    {
        EventKind.Status => "status",
        EventKind.CategoryChangePending => "category-change-pending",
        EventKind.CategoryChanged => "category-changed",
        EventKind.Quality => "quality",
        EventKind.Components => "components",
        EventKind.CorrectCategoryDetected => "correct-category-detected",
        EventKind.Discovered => "discovered",
        EventKind.Deleted => "deleted",
        EventKind.PendingChangeCleared => "pending-change-cleared",
        _ => "unknown",
    };

    private static readonly Dictionary<string, EventKind> ByApiName =
        Enum.GetValues<EventKind>().ToDictionary(k => k.ToApiName(), StringComparer.Ordinal);

    public static EventKind? FromApiName(string name) => ByApiName.TryGetValue(name, out var kind) ? kind : null;
}
