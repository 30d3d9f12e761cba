using Microsoft.Data.Sqlite;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// A fresh folder under the system temp folder for one test's SQLite files, deleted on dispose. Pools
/// are cleared first: a pooled connection keeps its file open, and the delete would fail on Windows
/// and leave the files behind elsewhere.
/// </summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "wp-")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>A file name inside the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
