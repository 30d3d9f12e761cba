using WebhookProcessor.Functions;

namespace WebhookProcessor.UnitTests.Functions;

public sealed class RedeliveryOptionsValidatorTests
{
    private readonly RedeliveryOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(_validator.Validate(null, new RedeliveryOptions()).Succeeded);
    }

    [Theory]
    [InlineData(0, 300, 3600, "FirstDelay")]
    [InlineData(60, 30, 3600, "MaxDelay")]
    [InlineData(5, 300, 1, "GiveUpAfter")]
    [InlineData(5, 300, 30 * 24 * 3600, "GiveUpAfter")]
    public void Validate_Inconsistent_FailsNamingTheSetting(int firstSeconds, int maxSeconds, int giveUpSeconds, string setting)
    {
        var result = _validator.Validate(null, new RedeliveryOptions
        {
            FirstDelay = TimeSpan.FromSeconds(firstSeconds),
            MaxDelay = TimeSpan.FromSeconds(maxSeconds),
            GiveUpAfter = TimeSpan.FromSeconds(giveUpSeconds),
        });

        Assert.True(result.Failed);
        Assert.Contains($"Queue:ServiceBus:Redelivery:{setting}", result.FailureMessage, StringComparison.Ordinal);
    }
}
