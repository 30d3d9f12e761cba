using System.Text.Json;
using System.Text.RegularExpressions;

namespace WebhookProcessor.UnitTests.Infra;

/// <summary>The deployment files at the repository root, read as text: host.json, function folders, Bicep, sample settings.</summary>
internal static partial class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static JsonElement Json(params string[] parts) => JsonDocument.Parse(File.ReadAllText(Path(parts))).RootElement.Clone();

    /// <summary>Each function folder's name with its function.json.</summary>
    public static IReadOnlyDictionary<string, JsonElement> Functions() =>
        Directory.GetDirectories(Path("functions"))
            .ToDictionary(d => System.IO.Path.GetFileName(d), d => Json("functions", System.IO.Path.GetFileName(d), "function.json"));

    public static string Bicep() => File.ReadAllText(Path("infra", "main.bicep"));

    /// <summary>The function app's settings in main.bicep: name → the Bicep expression of its value.</summary>
    public static IReadOnlyDictionary<string, string> BicepAppSettings() =>
        AppSetting().Matches(Bicep()).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value.Trim());

    /// <summary>The entries of an object variable such as <c>var roles = { key: 'value' }</c>.</summary>
    public static IReadOnlyDictionary<string, string> BicepObject(string variable)
    {
        // Up to the closing brace at the start of a line: values may hold ${…} interpolations.
        var body = Regex.Match(Bicep(), $@"var {variable} = \{{(?<body>.*?)\n\}}", RegexOptions.Singleline).Groups["body"].Value;
        return Entry().Matches(body).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value);
    }

    /// <summary>The items of an array variable of strings, such as <c>var tableNames = ['a', 'b']</c>.</summary>
    public static IReadOnlyList<string> BicepStrings(string variable) =>
        Quoted().Matches(Regex.Match(Bicep(), $@"var {variable} = \[(?<items>[^\]]*)\]").Groups["items"].Value).Select(m => m.Groups[1].Value).ToList();

    public static string BicepString(string variable) => Regex.Match(Bicep(), $@"var {variable} = '(?<value>[^']*)'").Groups["value"].Value;

    /// <summary>A scalar property inside the named resource block (up to the next top-level resource).</summary>
    public static string BicepProperty(string resource, string property)
    {
        var text = Bicep();
        var start = text.IndexOf($"resource {resource} ", StringComparison.Ordinal);
        Assert.True(start >= 0, $"main.bicep has no resource '{resource}'.");
        var end = text.IndexOf("\nresource ", start + 1, StringComparison.Ordinal);
        var block = end < 0 ? text[start..] : text[start..end];
        var match = Regex.Match(block, $@"\b{property}: (?<value>[^\r\n]+)");
        Assert.True(match.Success, $"Resource '{resource}' in main.bicep has no {property}.");
        return match.Groups["value"].Value.Trim().Trim('\'');
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "WebhookProcessor.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with WebhookProcessor.sln) is not above the test's folder.");
    }

    [GeneratedRegex(@"\{ name: '(?<name>[^']+)', value: (?<value>.+?) \}")]
    private static partial Regex AppSetting();

    [GeneratedRegex(@"(?<key>\w+): '(?<value>[^']*)'")]
    private static partial Regex Entry();

    [GeneratedRegex(@"'([^']*)'")]
    private static partial Regex Quoted();
}
