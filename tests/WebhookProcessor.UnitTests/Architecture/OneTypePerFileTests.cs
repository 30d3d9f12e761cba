using System.Text.RegularExpressions;

namespace WebhookProcessor.UnitTests.Architecture;

/// <summary>
/// One type per file under <c>src/</c>, so a type is found by its file name and a file's history is one
/// type's history. Nested types (private helpers, the [LoggerMessage] <c>Log</c> classes) belong to
/// their outer type and do not count. Read from the sources, with comments and string literals blanked
/// first, so a type named inside a doc comment or a raw string is not a declaration.
/// </summary>
public sealed partial class OneTypePerFileTests
{
    [Fact]
    public void SourceFiles_UnderSrc_DeclareAtMostOneTopLevelType()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        var crowded = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(src, f))
            .Select(f => (File: Path.GetRelativePath(src, f), Types: TopLevelTypes(File.ReadAllText(f))))
            .Where(f => f.Types.Count > 1)
            .Select(f => $"{f.File} ({string.Join(", ", f.Types)})")
            .ToList();

        Assert.True(crowded.Count == 0, "Give each of these types its own file: " + string.Join("; ", crowded));
    }

    [Theory]
    [InlineData("namespace A;\n\npublic sealed record Item(int Id);\n\npublic enum Kind { One }\n", 2)]
    [InlineData("namespace A\n{\n    public interface IStore { }\n    internal static class Helpers { }\n}\n", 2)]
    [InlineData("namespace A;\n\npublic sealed partial class Worker\n{\n    private sealed record State(int N);\n\n    private static partial class Log { }\n}\n", 1)]
    [InlineData("namespace A;\n\n/// <summary>Unlike <c>public class Other</c>.</summary>\npublic sealed class One\n{\n    private const string Text = \"public class Fake {\";\n}\n", 1)]
    [InlineData("namespace A;\n\npublic readonly record struct Pair(int A, int B);\n\ninternal sealed class PairComparer { }\n", 2)]
    public void TopLevelTypes_Source_CountsOnlyTypesOutsideOtherTypes(string source, int expected) =>
        Assert.Equal(expected, TopLevelTypes(source).Count);

    /// <summary>Type names declared outside any other type (inside a block namespace or none).</summary>
    private static List<string> TopLevelTypes(string source)
    {
        var code = CommentOrLiteral().Replace(source, m => m.Value.StartsWith('/') ? " " : "\"\"");
        var names = new List<string>();
        // Each open brace is a namespace's or something inside a type; only the latter hide declarations.
        var open = new Stack<bool>();
        var typeDepth = 0;
        foreach (Match m in Token().Matches(code))
        {
            if (m.Groups["ns"].Success)
            {
                open.Push(false);
            }
            else if (m.Value == "{")
            {
                open.Push(true);
                typeDepth++;
            }
            else if (m.Value == "}")
            {
                if (open.Count > 0 && open.Pop())
                {
                    typeDepth--;
                }
            }
            else if (typeDepth == 0)
            {
                names.Add(m.Groups["name"].Value);
            }
        }

        return names;
    }

    private static bool IsBuildOutput(string src, string file) =>
        Path.GetRelativePath(src, file).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(p => p is "bin" or "obj");

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WebhookProcessor.sln")) && Directory.Exists(Path.Combine(dir.FullName, "src")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No repository root above {AppContext.BaseDirectory}: this test reads the sources of the repository it is built in.");
    }

    /// <summary>Raw strings, comments, verbatim and regular strings (interpolated or not) and char literals.</summary>
    [GeneratedRegex("""
        "{3,}[\s\S]*?"{3,}|//[^\n]*|/\*[\s\S]*?\*/|\$*@\$*"(?:[^"]|"")*"|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)+'
        """)]
    private static partial Regex CommentOrLiteral();

    /// <summary>A block namespace's opening, a brace, or a type declaration (class, record [class|struct], struct, enum, interface, delegate).</summary>
    [GeneratedRegex(@"(?<ns>\bnamespace\s+[\w.]+\s*\{)|[{}]|\b(?:record\s+(?:class|struct)|class|record|struct|enum|interface)\s+(?<name>@?[A-Za-z_]\w*)|\bdelegate\s+[\w.<>?,\[\]\s]+?\s(?<name>[A-Za-z_]\w*)\s*[<(]")]
    private static partial Regex Token();
}
