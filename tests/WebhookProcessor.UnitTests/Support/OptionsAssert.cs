using Microsoft.Extensions.Options;

namespace WebhookProcessor.UnitTests.Support;

/// <summary>What every options validator promises: a failure names what to fix.</summary>
internal static class OptionsAssert
{
    public static void FailsNaming(ValidateOptionsResult result, string says)
    {
        Assert.True(result.Failed);
        Assert.Contains(says, result.FailureMessage, StringComparison.Ordinal);
    }
}
