using WebhookProcessor.Functions;

namespace WebhookProcessor.UnitTests.Functions;

public sealed class FunctionsOptionsValidatorTests
{
    private readonly FunctionsOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(_validator.Validate(null, new FunctionsOptions()).Succeeded);
    }

    [Theory]
    [InlineData(1024, 20, "Functions:MaxInvocationBytes")]
    [InlineData(4194304, -1, "Functions:AlertDispatchTimeout")]
    [InlineData(4194304, 600, "Functions:AlertDispatchTimeout")]
    public void Validate_OutOfRange_FailsNamingTheSetting(int maxInvocationBytes, int timeoutSeconds, string setting)
    {
        var result = _validator.Validate(null, new FunctionsOptions
        {
            MaxInvocationBytes = maxInvocationBytes,
            AlertDispatchTimeout = TimeSpan.FromSeconds(timeoutSeconds),
        });

        Assert.True(result.Failed);
        Assert.Contains(setting, result.FailureMessage, StringComparison.Ordinal);
    }
}
