using Microsoft.Extensions.Options;

namespace WebhookProcessor.UnitTests.Support;

/// <summary>
/// What the tests of an options validator whose defaults are valid share: the defaults pass as they
/// are, and a value out of range fails naming the setting to fix.
/// </summary>
public abstract class ValidatorContract<TOptions, TValidator>
    where TOptions : class, new()
    where TValidator : IValidateOptions<TOptions>, new()
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new TValidator().Validate(null, new TOptions()).Succeeded);
    }

    protected static void AssertFailsNaming(TOptions options, string setting) =>
        OptionsAssert.FailsNaming(new TValidator().Validate(null, options), setting);
}
