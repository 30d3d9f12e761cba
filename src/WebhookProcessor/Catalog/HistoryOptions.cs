namespace WebhookProcessor.Catalog;

/// <summary>Settings under <c>History</c>.</summary>
public sealed class HistoryOptions
{
    public const string SectionName = "History";

    /// <summary>Days of history to keep; unset keeps everything.</summary>
    public int? RetentionDays { get; set; }

    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);
}
