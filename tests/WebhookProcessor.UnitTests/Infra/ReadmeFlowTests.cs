using System.Text.RegularExpressions;

namespace WebhookProcessor.UnitTests.Infra;

/// <summary>The README's "How a webhook flows" names files and contracts; they must exist as named.</summary>
public sealed partial class ReadmeFlowTests
{
    private static string FlowSection()
    {
        var readme = File.ReadAllText(RepositoryFiles.Path("README.md"));
        var start = readme.IndexOf("## How a webhook flows", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '## How a webhook flows' section.");
        var end = readme.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        return end < 0 ? readme[start..] : readme[start..end];
    }

    [Fact]
    public void FlowSection_NamedFiles_AllExist()
    {
        var files = SourcePath().Matches(FlowSection()).Select(m => m.Value).Distinct().ToList();

        Assert.NotEmpty(files);
        var missing = files.Where(f => !File.Exists(RepositoryFiles.Path("src", "WebhookProcessor", f))).ToList();
        Assert.True(missing.Count == 0, "The README's flow names files that are not under src/WebhookProcessor/: " + string.Join(", ", missing));
    }

    [Fact]
    public void FlowSection_FilesOnThePath_AreAtMostTen()
    {
        var diagram = FlowSection().Split("```")[1];

        Assert.InRange(SourcePath().Matches(diagram).Select(m => m.Value).Distinct().Count(), 1, 10);
    }

    [Theory]
    [InlineData("IEventQueue", "Queue/IEventQueue.cs")]
    [InlineData("IQueueConsumer", "Queue/IQueueConsumer.cs")]
    [InlineData("ITemplateStore", "Catalog/ITemplateStore.cs")]
    [InlineData("EventDecision", "Catalog/EventDecision.cs")]
    [InlineData("OutboxItem", "Catalog/OutboxItem.cs")]
    public void FlowSection_Contracts_AreTheOnesInTheCode(string contract, string file)
    {
        Assert.Contains($"`{contract}", FlowSection(), StringComparison.Ordinal);
        var source = File.ReadAllText(RepositoryFiles.Path("src", "WebhookProcessor", file));
        Assert.Matches($@"\b(interface|record|class) {contract}\b", source);
    }

    [Fact]
    public void FlowSection_StoreSeam_MatchesTheInterface()
    {
        // The README shows ApplyAsync(events, processedAt, decide); the port must still take a decision.
        var port = File.ReadAllText(RepositoryFiles.Path("src", "WebhookProcessor", "Catalog", "ITemplateStore.cs"));

        Assert.Contains("ApplyAsync(events, processedAt, decide)", FlowSection(), StringComparison.Ordinal);
        Assert.Matches(@"ApplyAsync\([^)]*Func<TemplateRecord\?, TemplateEvent, EventDecision> decide", port);
    }

    [GeneratedRegex(@"\b(?:Webhooks|Queue|Processing|Catalog|Notifications|Ops|Azure|Functions|Hosting|Meta|Storage|Security)/[A-Za-z/]+\.cs\b")]
    private static partial Regex SourcePath();
}
