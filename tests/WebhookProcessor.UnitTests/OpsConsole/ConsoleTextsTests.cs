using WebhookProcessor.OpsConsole;

namespace WebhookProcessor.UnitTests.OpsConsole;

public sealed class ConsoleTextsTests
{
    [Fact]
    public void Spanish_EveryPhrase_IsTranslated()
    {
        var missing = ConsoleTexts.English.Keys.Except(ConsoleTexts.Spanish.Keys).ToList();
        var extra = ConsoleTexts.Spanish.Keys.Except(ConsoleTexts.English.Keys).ToList();

        Assert.True(missing.Count == 0, "Not translated to Spanish: " + string.Join(" | ", missing));
        Assert.True(extra.Count == 0, "Spanish phrases no page uses (not in ConsoleWordList): " + string.Join(" | ", extra));
    }

    [Fact]
    public void Indexer_UnknownPhrase_FallsBackToTheKey() =>
        Assert.Equal("No such phrase", ConsoleTexts.Spanish["No such phrase"]);

    [Theory]
    [InlineData("/console/templates?x=1", "", "/console/templates?x=1")]
    [InlineData("/console", "", "/console")]
    [InlineData("/consolex", "", "/console")]
    [InlineData("https://evil.example/console", "", "/console")]
    [InlineData("//evil.example/console", "", "/console")]
    [InlineData("/console/\\evil", "", "/console")]
    [InlineData(null, "/api", "/api/console")]
    [InlineData("/api/console/events", "/api", "/api/console/events")]
    public void SafeReturn_Candidates_StayOnTheConsole(string? returnUrl, string pathBase, string expected)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.PathBase = pathBase;

        Assert.Equal(expected, ConsoleRegistration.SafeReturn(context.Request, returnUrl));
    }
}
