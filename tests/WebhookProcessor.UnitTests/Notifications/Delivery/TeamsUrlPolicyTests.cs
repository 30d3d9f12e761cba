using WebhookProcessor.Notifications;

namespace WebhookProcessor.UnitTests.Notifications;

public sealed class TeamsUrlPolicyTests
{
    [Theory]
    [InlineData("https://prod-12.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=1")]
    [InlineData("https://PROD-12.WestUS.Logic.Azure.com/workflows/abc?sig=1")]
    [InlineData("https://default0123.cd.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/abc?sig=1")]
    [InlineData("https://europe.powerautomate.com/workflows/abc?sig=1")]
    public void Check_WorkflowsHosts_AreAccepted(string url)
    {
        Assert.Null(new TeamsUrlPolicy(allowInsecure: false).Check(url));
    }

    [Theory]
    [InlineData("https://127.0.0.1/workflows/abc")]
    [InlineData("https://2130706433/workflows/abc")]
    [InlineData("https://0x7f000001/workflows/abc")]
    [InlineData("https://0177.0.0.1/workflows/abc")]
    [InlineData("https://[::1]/workflows/abc")]
    [InlineData("https://[::ffff:127.0.0.1]/workflows/abc")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://10.0.0.1/workflows/abc")]
    [InlineData("https://localhost/workflows/abc")]
    [InlineData("https://logic.azure.com/workflows/abc")]
    [InlineData("https://evillogic.azure.com/workflows/abc")]
    [InlineData("https://prod-1.logic.azure.com.evil.example/workflows/abc")]
    [InlineData("http://prod-1.westus.logic.azure.com/workflows/abc")]
    [InlineData("https://user:pass@prod-1.westus.logic.azure.com/workflows/abc")]
    public void Check_OtherUrls_AreRefused(string url)
    {
        Assert.NotNull(new TeamsUrlPolicy(allowInsecure: false).Check(url));
    }

    [Fact]
    public void Check_InsecureSwitch_AcceptsLoopbackAndHttp()
    {
        var policy = new TeamsUrlPolicy(allowInsecure: true);

        Assert.Null(policy.Check("http://127.0.0.1:5000/workflows/abc?sig=1"));
        Assert.Null(policy.Check("https://internal.example/workflows/abc?sig=1"));
    }

    [Fact]
    public void Check_ConfiguredHosts_ReplaceTheDefaults()
    {
        var policy = new TeamsUrlPolicy(allowInsecure: false, ["hooks.example.com", "*.flows.example.org"]);

        Assert.Null(policy.Check("https://hooks.example.com/a"));
        Assert.Null(policy.Check("https://eu.flows.example.org/a"));
        Assert.NotNull(policy.Check("https://sub.hooks.example.com/a"));
        Assert.NotNull(policy.Check("https://prod-1.westus.logic.azure.com/a"));
    }

    [Theory]
    [InlineData("*", false)]
    [InlineData("*.com", false)]
    [InlineData("https://prod.logic.azure.com", false)]
    [InlineData("prod-*.logic.azure.com", false)]
    [InlineData("*.logic.azure.com", true)]
    [InlineData("localhost", true)]
    public void AllowedHosts_TooBroadOrMalformedEntries_FailOptionsValidation(string entry, bool valid)
    {
        var options = new NotificationOptions { Teams = new TeamsSettings { AllowedHosts = [entry] } };

        var result = new NotificationOptionsValidator().Validate(null, options);

        Assert.Equal(valid, result.Succeeded);
    }
}
