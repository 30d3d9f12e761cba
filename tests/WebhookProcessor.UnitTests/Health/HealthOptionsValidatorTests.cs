using WebhookProcessor.Health;
using WebhookProcessor.UnitTests.Support;

namespace WebhookProcessor.UnitTests.Health;

public sealed class HealthOptionsValidatorTests : ValidatorContract<HealthOptions, HealthOptionsValidator>
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(61)]
    public void Validate_ReadyTimeoutOutOfRange_FailsNamingTheSetting(int seconds) =>
        AssertFailsNaming(new HealthOptions { ReadyTimeout = TimeSpan.FromSeconds(seconds) }, "Health:ReadyTimeout");

    [Fact]
    public void Validate_ReadyTimeoutAtTheLimit_Succeeds() =>
        Assert.True(new HealthOptionsValidator().Validate(null, new HealthOptions { ReadyTimeout = HealthOptionsValidator.MaxReadyTimeout }).Succeeded);
}
