using System.Text.RegularExpressions;
using WebhookProcessor.UnitTests.Infra;

namespace WebhookProcessor.UnitTests.Architecture;

/// <summary>
/// Every test method in the unit and integration test projects is named <c>Member_Scenario_Expected</c>:
/// three PascalCase parts joined by underscores. Read from the sources: a method is a test when a
/// <c>[Fact]</c> or <c>[Theory]</c> attribute sits on the lines above it, possibly among other attributes.
/// </summary>
public sealed partial class TestNamingTests
{
    private static readonly string[] Projects = ["WebhookProcessor.UnitTests", "WebhookProcessor.IntegrationTests"];

    [Fact]
    public void TestMethods_InBothTestProjects_AreNamedMemberScenarioExpected()
    {
        var tests = TestMethods().ToList();
        var offenders = tests.Where(t => !Convention().IsMatch(t.Name)).Select(t => $"{t.File}:{t.Name}").ToList();

        Assert.True(tests.Count > 100, $"Found only {tests.Count} test methods; the scan is probably broken.");
        Assert.True(offenders.Count == 0,
            $"{offenders.Count} test method(s) are not named Member_Scenario_Expected:{Environment.NewLine}" +
            string.Join(Environment.NewLine, offenders));
    }

    [Fact]
    public void TestMethods_AttributeAmongOthers_AreFound()
    {
        // Built from quoted lines so that this file's own scan does not see the sample as tests.
        var source = string.Join('\n',
            "[Theory]",
            "[InlineData(1)]",
            "// a comment",
            "[Trait(\"Category\", \"Slow\")]",
            "public async Task Some_sentence_style_name(int value)",
            "{",
            "}",
            "",
            "[Fact(Skip = \"later\")]",
            "public void Member_Scenario_Expected()",
            "{",
            "}",
            "",
            "public void Helper_NotATest_Ignored()",
            "{",
            "}");

        Assert.Equal(["Some_sentence_style_name", "Member_Scenario_Expected"], Scan(source));
    }

    private static IEnumerable<(string File, string Name)> TestMethods() =>
        from project in Projects
        from file in Directory.EnumerateFiles(RepositoryFiles.Path("tests", project), "*.cs", SearchOption.AllDirectories)
        let relative = Path.GetRelativePath(RepositoryFiles.Root, file).Replace('\\', '/')
        where !relative.Split('/').Any(part => part is "bin" or "obj")
        from name in Scan(File.ReadAllText(file))
        select (relative, name);

    /// <summary>The names of the methods that carry a Fact or Theory attribute.</summary>
    private static IEnumerable<string> Scan(string source)
    {
        var pending = false;
        foreach (var raw in source.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('['))
            {
                pending |= TestAttribute().IsMatch(line);
                continue;
            }

            if (!pending || line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            pending = false;
            var method = MethodName().Match(line);
            if (method.Success)
            {
                yield return method.Groups["name"].Value;
            }
        }
    }

    [GeneratedRegex(@"^\[(?:[^\]]*,\s*)?(?:Xunit\.)?(?:Fact|Theory)(?:Attribute)?\s*[\](,]")]
    private static partial Regex TestAttribute();

    [GeneratedRegex(@"(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:<[^>()]*>)?\s*\(")]
    private static partial Regex MethodName();

    [GeneratedRegex(@"^[A-Z][A-Za-z0-9]*_[A-Z][A-Za-z0-9]*_[A-Z][A-Za-z0-9]*$")]
    private static partial Regex Convention();
}
