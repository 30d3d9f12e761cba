using WebhookProcessor.Notifications;

namespace WebhookProcessor.UnitTests.Notifications;

public sealed class OwnerRoutingTests
{
    private const string Account = "102290129340398";
    private const string OtherAccount = "555000111222333";

    private static Owner Make(string id, string? wabaId = null, string? pattern = null) => new()
    {
        Id = id,
        DisplayName = id,
        Emails = [$"{id}@example.com"],
        Match = new OwnerMatch(wabaId, pattern),
    };

    private static readonly Owner Default = Make("default");
    private static readonly Owner ByAccount = Make("by-account", Account);
    private static readonly Owner ByPattern = Make("by-pattern", pattern: "payment_*");
    private static readonly Owner ByBoth = Make("by-both", Account, "payment_*");

    [Fact]
    public void Resolve_AccountAndPattern_BeatsEverythingElse()
    {
        var resolved = OwnerRouting.Resolve([Default, ByAccount, ByPattern, ByBoth], Account, "payment_reminder");
        Assert.Equal("by-both", resolved!.Owner.Id);
        Assert.Equal(OwnerMatchKind.AccountAndPattern, resolved.MatchedBy);
    }

    [Fact]
    public void Resolve_PatternAndAccountOwners_PatternWins()
    {
        var resolved = OwnerRouting.Resolve([Default, ByAccount, ByPattern], Account, "payment_reminder");
        Assert.Equal("by-pattern", resolved!.Owner.Id);
        Assert.Equal(OwnerMatchKind.Pattern, resolved.MatchedBy);
    }

    [Fact]
    public void Resolve_AccountAndDefaultOwners_AccountWins()
    {
        var resolved = OwnerRouting.Resolve([Default, ByAccount, ByPattern, ByBoth], Account, "welcome_message");
        Assert.Equal("by-account", resolved!.Owner.Id);
        Assert.Equal(OwnerMatchKind.Account, resolved.MatchedBy);
    }

    [Fact]
    public void Resolve_NobodyElseOwnsIt_DefaultOwnerCatchesIt()
    {
        var resolved = OwnerRouting.Resolve([ByAccount, Default, ByBoth], OtherAccount, "welcome_message");
        Assert.Equal("default", resolved!.Owner.Id);
        Assert.Equal(OwnerMatchKind.Default, resolved.MatchedBy);
    }

    [Fact]
    public void Resolve_NoMatchAndNoDefaultOwner_IsNobody()
    {
        Assert.Null(OwnerRouting.Resolve([ByAccount, ByBoth], OtherAccount, "welcome_message"));
        Assert.Null(OwnerRouting.Resolve([], Account, "payment_reminder"));
    }

    [Fact]
    public void Resolve_AccountAndPatternOwner_NeedsBothToMatch()
    {
        Assert.Null(OwnerRouting.Resolve([ByBoth], OtherAccount, "payment_reminder"));
        Assert.Null(OwnerRouting.Resolve([ByBoth], Account, "welcome_message"));
    }

    [Fact]
    public void Resolve_SeveralMatchingPatterns_MoreLiteralWinsWhateverTheOrder()
    {
        var broad = Make("broad", pattern: "pay*");
        var narrow = Make("narrow", pattern: "payment_r*");
        Assert.Equal("narrow", OwnerRouting.Resolve([broad, narrow], Account, "payment_reminder")!.Owner.Id);
        Assert.Equal("narrow", OwnerRouting.Resolve([narrow, broad], Account, "payment_reminder")!.Owner.Id);
        Assert.Equal("broad", OwnerRouting.Resolve([narrow, broad], Account, "payout_notice")!.Owner.Id);
    }

    [Fact]
    public void Resolve_ExactTie_GoesToTheLowerOwnerId()
    {
        var a = Make("a-team", pattern: "order_*");
        var b = Make("b-team", pattern: "order_*");
        Assert.Equal("a-team", OwnerRouting.Resolve([b, a], Account, "order_shipped")!.Owner.Id);
    }

    [Fact]
    public void Resolve_TemplateWithoutName_MatchesNoPattern()
    {
        Assert.Equal("by-account", OwnerRouting.Resolve([ByPattern, ByAccount], Account, null)!.Owner.Id);
    }

    [Theory]
    [InlineData("payment_*", "payment_reminder", true)]
    [InlineData("payment_*", "payment_", true)]
    [InlineData("payment_*", "payments", false)]
    [InlineData("PAYMENT_*", "payment_reminder", true)]
    [InlineData("*_reminder", "payment_reminder", true)]
    [InlineData("*_reminder", "payment_reminder_v2", false)]
    [InlineData("order_??", "order_12", true)]
    [InlineData("order_??", "order_123", false)]
    [InlineData("*", "anything", true)]
    [InlineData("a*b*c", "axxbyyc", true)]
    [InlineData("a*b*c", "axxbyy", false)]
    [InlineData("welcome", "welcome", true)]
    [InlineData("welcome", "welcome2", false)]
    public void IsMatch_Pattern_MatchesWholeNames(string pattern, string name, bool expected) =>
        Assert.Equal(expected, Glob.IsMatch(pattern, name));

    [Fact]
    public void IsMatch_PathologicalPattern_AnswersQuickly()
    {
        var name = new string('a', 5000);
        Assert.False(Glob.IsMatch(string.Concat(Enumerable.Repeat("a*", 200)) + "b", name));
    }
}
