using WebhookProcessor.Notifications;

namespace WebhookProcessor.UnitTests.Notifications;

public sealed class OwnerValidatorTests
{
    private static OwnerInput Input(
        IReadOnlyList<string?>? emails = null,
        string? teams = null,
        string? language = null,
        string? wabaId = null,
        string? pattern = null,
        string? displayName = "Payments team") =>
        new(null, displayName, emails, teams, language, new OwnerMatchInput(wabaId, pattern));

    [Fact]
    public void Validate_CompleteOwner_IsAcceptedAndNormalized()
    {
        var (owner, errors) = OwnerValidator.Validate("payments", Input(
            emails: [" ana@example.com ", "ANA@example.com", "luis@example.com"],
            teams: "https://prod-01.westus.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=s3cr3t",
            language: "EN",
            wabaId: "102290129340398",
            pattern: "payment_*"), allowInsecureUrls: false);

        Assert.Empty(errors);
        Assert.NotNull(owner);
        Assert.Equal(["ana@example.com", "luis@example.com"], owner.Emails);
        Assert.Equal("en", owner.Language);
        Assert.Equal(new OwnerMatch("102290129340398", "payment_*"), owner.Match);
        Assert.False(owner.IsDefault);
    }

    [Fact]
    public void Validate_NoLanguage_DefaultsToSpanish()
    {
        var (owner, _) = OwnerValidator.Validate("ops", Input(emails: ["ops@example.com"]), false);
        Assert.Equal("es", owner!.Language);
        Assert.True(owner.IsDefault);
    }

    [Fact]
    public void Validate_OwnerNobodyCanReach_IsRefused()
    {
        var (owner, errors) = OwnerValidator.Validate("ops", Input(), false);
        Assert.Null(owner);
        Assert.Contains("at least one e-mail address or a teamsWebhookUrl", errors["emails"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("Ana <ana@example.com>")]
    [InlineData("ana@localhost")]
    [InlineData("a@b.com,c@d.com")]
    public void Validate_InvalidAddress_IsNamedByIndex(string address)
    {
        var (owner, errors) = OwnerValidator.Validate("ops", Input(emails: ["ok@example.com", address]), false);
        Assert.Null(owner);
        Assert.Contains("emails[1]", errors.Keys);
    }

    [Fact]
    public void Validate_PlainHttpTeamsUrl_NeedsTheInsecureSwitch()
    {
        var input = Input(teams: "http://127.0.0.1:5000/workflows/x?sig=1");
        var (refused, errors) = OwnerValidator.Validate("ops", input, allowInsecureUrls: false);
        Assert.Null(refused);
        Assert.Contains("Notifications:AllowInsecureWebhookUrls", errors["teamsWebhookUrl"][0], StringComparison.Ordinal);

        var (accepted, _) = OwnerValidator.Validate("ops", input, allowInsecureUrls: true);
        Assert.NotNull(accepted);
    }

    [Theory]
    [InlineData("ftp://example.com/hook")]
    [InlineData("not a url")]
    [InlineData("https://user:pass@example.com/hook")]
    public void Validate_OtherTeamsUrl_IsRefused(string url)
    {
        var (owner, errors) = OwnerValidator.Validate("ops", Input(emails: ["ok@example.com"], teams: url), true);
        Assert.Null(owner);
        Assert.Contains("teamsWebhookUrl", errors.Keys);
    }

    [Theory]
    [InlineData("fr", "language")]
    [InlineData(null, "displayName")]
    public void Validate_BadOtherField_IsNamed(string? language, string field)
    {
        var input = Input(emails: ["ok@example.com"], language: language, displayName: field == "displayName" ? " " : "Team");
        var (owner, errors) = OwnerValidator.Validate("ops", input, false);
        Assert.Null(owner);
        Assert.Contains(field, errors.Keys);
    }

    [Theory]
    [InlineData("12ab", null, "match.wabaId")]
    [InlineData(null, "payment reminder", "match.templateNamePattern")]
    [InlineData(null, "payment_[0-9]", "match.templateNamePattern")]
    public void Validate_BadMatchCriteria_AreNamed(string? wabaId, string? pattern, string field)
    {
        var (owner, errors) = OwnerValidator.Validate("ops", Input(emails: ["ok@example.com"], wabaId: wabaId, pattern: pattern), false);
        Assert.Null(owner);
        Assert.Contains(field, errors.Keys);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/id")]
    public void Validate_BadOwnerId_IsRefused(string id)
    {
        var (owner, errors) = OwnerValidator.Validate(id, Input(emails: ["ok@example.com"]), false);
        Assert.Null(owner);
        Assert.Contains("ownerId", errors.Keys);
    }

    [Fact]
    public void Validate_PatternLongerThanTheCap_IsRefusedNamingTheField()
    {
        var longest = "payment_" + new string('x', Glob.MaxPatternLength - 9) + "*";
        var (accepted, none) = OwnerValidator.Validate("p", Input(emails: ["a@example.com"], pattern: longest), allowInsecureUrls: false);
        var (refused, errors) = OwnerValidator.Validate("p", Input(emails: ["a@example.com"], pattern: "x" + longest), allowInsecureUrls: false);

        Assert.NotNull(accepted);
        Assert.Empty(none);
        Assert.Null(refused);
        Assert.Contains("at most 128", Assert.Single(errors["match.templateNamePattern"]), StringComparison.Ordinal);
    }
}
