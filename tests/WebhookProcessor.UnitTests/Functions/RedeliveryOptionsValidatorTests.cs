using WebhookProcessor.Functions;
using WebhookProcessor.UnitTests.Support;

namespace WebhookProcessor.UnitTests.Functions;

public sealed class RedeliveryOptionsValidatorTests : ValidatorContract<RedeliveryOptions, RedeliveryOptionsValidator>
{
    [Theory]
    [InlineData(0, 300, 3600, "FirstDelay")]
    [InlineData(60, 30, 3600, "MaxDelay")]
    [InlineData(5, 300, 1, "GiveUpAfter")]
    [InlineData(5, 300, 30 * 24 * 3600, "GiveUpAfter")]
    public void Validate_Inconsistent_FailsNamingTheSetting(int firstSeconds, int maxSeconds, int giveUpSeconds, string setting) =>
        AssertFailsNaming(
            new RedeliveryOptions
            {
                FirstDelay = TimeSpan.FromSeconds(firstSeconds),
                MaxDelay = TimeSpan.FromSeconds(maxSeconds),
                GiveUpAfter = TimeSpan.FromSeconds(giveUpSeconds),
            },
            $"Queue:ServiceBus:Redelivery:{setting}");
}
