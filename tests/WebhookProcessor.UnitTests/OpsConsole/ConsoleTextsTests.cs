using WebhookProcessor.OpsConsole;

namespace WebhookProcessor.UnitTests.OpsConsole;

public sealed class ConsoleTextsTests
{
    [Fact]
    public void Areas_SharedPhrases_AreTranslatedAlikeAndNeverBlank()
    {
        var problems = ConsoleWords.Areas
            .SelectMany(area => area)
            .GroupBy(pair => pair.Key, StringComparer.Ordinal)
            .Where(g => g.Select(p => p.Value).Distinct(StringComparer.Ordinal).Count() > 1 || g.Any(p => string.IsNullOrWhiteSpace(p.Value)))
            .Select(g => g.Key)
            .ToList();

        Assert.True(problems.Count == 0, "Translated differently or blank: " + string.Join(" | ", problems));
    }

    [Fact]
    public void Indexer_KnownPhrase_GivesEachLanguagesWording()
    {
        Assert.Equal("Sign in", ConsoleTexts.English["Sign in"]);
        Assert.Equal("Iniciar sesión", ConsoleTexts.Spanish["Sign in"]);
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
