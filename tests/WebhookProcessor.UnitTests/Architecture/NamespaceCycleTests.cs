using System.Text.RegularExpressions;

namespace WebhookProcessor.UnitTests.Architecture;

/// <summary>
/// Which of the service's folders use which, read from the sources: feature folders form no cycle and
/// never reach into the adapters, and the shared folders depend on no feature. A reference is a using
/// directive, a fully or partly qualified name (<c>WebhookProcessor.Catalog.X</c>, <c>Catalog.X</c>) or a
/// <c>cref</c>; comments and string literals are not code and are ignored.
/// </summary>
public sealed partial class NamespaceCycleTests
{
    /// <summary>Features and the shared folders every feature may use.</summary>
    private static readonly string[] Features = ["Webhooks", "Queue", "Processing", "Catalog", "Notifications", "Ops", "Health", "Reconciliation", "Meta", "Storage", "Security", "Telemetry"];

    /// <summary>Shared by every feature, so they may depend on none.</summary>
    private static readonly string[] Shared = ["Meta", "Storage", "Security", "Telemetry"];

    /// <summary>Hosts and adapters: they may use anything, and nothing in <see cref="Features"/> may use them.</summary>
    private static readonly string[] Adapters = ["Azure", "Hosting", "Functions", "Tools", "OpsConsole"];

    private static readonly Lazy<Dictionary<string, Dictionary<string, List<string>>>> Graph = new(Read);

    [Fact]
    public void Folders_UnderSrc_AreEachAFeatureOrAnAdapter()
    {
        var unclassified = Graph.Value.Keys.Except(Features).Except(Adapters).ToList();

        Assert.True(unclassified.Count == 0, $"Classify these folders in {nameof(NamespaceCycleTests)}: {string.Join(", ", unclassified)}");
    }

    [Fact]
    public void Features_NamespaceDependencies_FormNoCycle()
    {
        var edges = Features.ToDictionary(f => f, f => Uses(f).Where(Features.Contains).ToList());

        var cycle = FindCycle(edges);

        Assert.True(cycle is null, cycle is null ? null : $"Feature folders form a cycle: {string.Join(" → ", cycle)}. {Evidence(cycle)}");
    }

    [Fact]
    public void Features_NamespaceDependencies_DoNotUseAdapters()
    {
        var wrong = Features
            .SelectMany(f => Uses(f).Where(Adapters.Contains).Select(a => $"{f} → {a} ({string.Join(", ", Graph.Value[f][a])})"))
            .ToList();

        Assert.True(wrong.Count == 0, "Features reach into adapters: " + string.Join("; ", wrong));
    }

    [Fact]
    public void SharedFolders_NamespaceDependencies_UseNoFeature()
    {
        var wrong = Shared
            .SelectMany(s => Uses(s).Where(Features.Contains).Select(f => $"{s} → {f} ({string.Join(", ", Graph.Value[s][f])})"))
            .ToList();

        Assert.True(wrong.Count == 0, "Shared folders depend on features: " + string.Join("; ", wrong));
    }

    [Fact]
    public void Catalog_NamespaceDependencies_KnowNothingOfProcessingOrNotifications() =>
        Assert.Empty(Uses("Catalog").Intersect(["Processing", "Notifications"]));

    private static IEnumerable<string> Uses(string folder) =>
        Graph.Value.TryGetValue(folder, out var uses) ? uses.Keys : [];

    private static string Evidence(IReadOnlyList<string> cycle) =>
        string.Join("; ", cycle.Zip(cycle.Skip(1)).Select(p => $"{p.First} → {p.Second} in {string.Join(", ", Graph.Value[p.First][p.Second])}"));

    private static List<string>? FindCycle(Dictionary<string, List<string>> edges)
    {
        var state = new Dictionary<string, int>();
        var path = new List<string>();

        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in edges[node])
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    return [.. path.Skip(path.IndexOf(next)), next];
                }

                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found)
                {
                    return found;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }

        return edges.Keys.Where(n => state.GetValueOrDefault(n) == 0).Select(Visit).FirstOrDefault(c => c is not null);
    }

    /// <summary>Folder → folder it uses → files where it does.</summary>
    private static Dictionary<string, Dictionary<string, List<string>>> Read()
    {
        var root = SourceRoot();
        var folders = Directory.GetDirectories(root).Select(Path.GetFileName).Where(n => n is not ("bin" or "obj" or "Properties")).Select(n => n!).ToList();
        var graph = new Dictionary<string, Dictionary<string, List<string>>>();
        foreach (var folder in folders)
        {
            var uses = new Dictionary<string, List<string>>();
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            {
                foreach (var used in References(File.ReadAllText(file), folders).Where(u => u != folder))
                {
                    (uses.TryGetValue(used, out var files) ? files : uses[used] = []).Add(Path.GetFileName(file));
                }
            }

            graph[folder] = uses;
        }

        return graph;
    }

    private static HashSet<string> References(string source, IReadOnlyList<string> folders)
    {
        var crefs = string.Join(" ", Cref().Matches(source).Select(m => m.Groups[1].Value));
        // One pass, leftmost first, so a "//" inside a string or a quote inside a comment cannot confuse the other.
        var code = CommentOrLiteral().Replace(source, m => m.Value.StartsWith('/') ? " " : "\"\"");
        code = NamespaceLine().Replace(code, " ") + " " + crefs;
        var found = new HashSet<string>();
        foreach (Match m in Qualified().Matches(code))
        {
            if (folders.Contains(m.Groups[1].Value))
            {
                found.Add(m.Groups[1].Value);
            }
        }

        return found;
    }

    private static string SourceRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "WebhookProcessor");
            if (File.Exists(Path.Combine(dir.FullName, "WebhookProcessor.sln")) && Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No src/WebhookProcessor above {AppContext.BaseDirectory}: these tests read the sources of the repository they are built in.");
    }

    [GeneratedRegex("cref=\"([^\"]+)\"")]
    private static partial Regex Cref();

    /// <summary>Raw strings, comments, verbatim and regular strings (interpolated or not) and char literals.</summary>
    [GeneratedRegex("""
        "{3,}[\s\S]*?"{3,}|//[^\n]*|/\*[\s\S]*?\*/|\$*@\$*"(?:[^"]|"")*"|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)+'
        """)]
    private static partial Regex CommentOrLiteral();

    [GeneratedRegex(@"^\s*namespace\s+[\w.]+\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    /// <summary>
    /// <c>WebhookProcessor.X</c> anywhere, or <c>X.Name</c> not preceded by a dot or <c>::</c> (inside the
    /// WebhookProcessor namespaces a partly qualified name resolves against them).
    /// </summary>
    [GeneratedRegex(@"(?:\bWebhookProcessor\.|(?<![\w.:]))([A-Z]\w*)(?=\s*[.;])")]
    private static partial Regex Qualified();
}
