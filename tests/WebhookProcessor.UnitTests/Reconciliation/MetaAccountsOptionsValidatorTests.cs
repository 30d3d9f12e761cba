using WebhookProcessor.Reconciliation;
using WebhookProcessor.UnitTests.Support;

namespace WebhookProcessor.UnitTests.Reconciliation;

public sealed class MetaAccountsOptionsValidatorTests : ValidatorContract<MetaAccountsOptions, MetaAccountsOptionsValidator>
{
    [Fact]
    public void Validate_DigitIds_Succeed()
    {
        var options = new MetaAccountsOptions { Accounts = ["102290129340398", "1"] };

        Assert.True(new MetaAccountsOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("12a4")]
    [InlineData("../me")]
    [InlineData("-5")]
    [InlineData(" 123")]
    [InlineData("99999999999999999999")]
    public void Validate_NotAnId_FailsNamingTheEntry(string id) =>
        AssertFailsNaming(new MetaAccountsOptions { Accounts = ["123", id] }, "Meta:Accounts:1");
}
