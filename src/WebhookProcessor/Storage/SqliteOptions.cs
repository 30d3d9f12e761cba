namespace WebhookProcessor.Storage;

/// <summary>Settings under <c>Storage:Sqlite</c> for the embedded default.</summary>
public sealed class SqliteOptions
{
    public const string SectionName = "Storage:Sqlite";

    /// <summary>Folder holding <c>queue.db</c> and <c>catalog.db</c>; relative paths start at the content root.</summary>
    public string Path { get; set; } = "data";
}
