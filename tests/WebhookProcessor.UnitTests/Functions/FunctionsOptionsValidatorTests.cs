using WebhookProcessor.Functions;
using WebhookProcessor.UnitTests.Support;

namespace WebhookProcessor.UnitTests.Functions;

public sealed class FunctionsOptionsValidatorTests : ValidatorContract<FunctionsOptions, FunctionsOptionsValidator>
{
    [Theory]
    [InlineData(1024, 20, "Functions:MaxInvocationBytes")]
    [InlineData(4194304, -1, "Functions:AlertDispatchTimeout")]
    [InlineData(4194304, 600, "Functions:AlertDispatchTimeout")]
    public void Validate_OutOfRange_FailsNamingTheSetting(int maxInvocationBytes, int timeoutSeconds, string setting) =>
        AssertFailsNaming(
            new FunctionsOptions { MaxInvocationBytes = maxInvocationBytes, AlertDispatchTimeout = TimeSpan.FromSeconds(timeoutSeconds) },
            setting);
}
