using WebhookProcessor.Reconciliation;
using WebhookProcessor.UnitTests.Support;

namespace WebhookProcessor.UnitTests.Reconciliation;

public sealed class GraphApiOptionsValidatorTests : ValidatorContract<GraphApiOptions, GraphApiOptionsValidator>
{
    [Theory]
    [InlineData("https://graph.facebook.com")]
    [InlineData("https://graph.facebook.com/")]
    [InlineData("http://127.0.0.1:5123")]
    [InlineData("http://[::1]:5123/graph/")]
    [InlineData("http://localhost:5123")]
    public void Validate_HttpsOrLoopbackBaseUrl_Succeeds(string baseUrl)
    {
        Assert.True(new GraphApiOptionsValidator().Validate(null, new GraphApiOptions { BaseUrl = baseUrl }).Succeeded);
    }

    [Theory]
    [InlineData("http://graph.facebook.com")]
    [InlineData("http://10.0.0.5:8080")]
    [InlineData("ftp://graph.facebook.com")]
    [InlineData("graph.facebook.com")]
    [InlineData("https://graph.facebook.com/?access_token=x")]
    [InlineData("https://user:pass@graph.facebook.com")]
    [InlineData("")]
    public void Validate_PlainHttpOrMalformedBaseUrl_FailsNamingTheKey(string baseUrl) =>
        AssertFailsNaming(new GraphApiOptions { BaseUrl = baseUrl }, "Meta:GraphApi:BaseUrl");

    [Theory]
    [InlineData("23.0")]
    [InlineData("v23")]
    [InlineData("v23.0/../x")]
    [InlineData("")]
    public void Validate_MalformedVersion_FailsNamingTheKey(string version) =>
        AssertFailsNaming(new GraphApiOptions { Version = version }, "Meta:GraphApi:Version");

    [Theory]
    [InlineData(0, 100, 3, "Meta:GraphApi:CallsPerHourPerAccount")]
    [InlineData(200, 0, 3, "Meta:GraphApi:PageSize")]
    [InlineData(200, 1001, 3, "Meta:GraphApi:PageSize")]
    [InlineData(200, 100, -1, "Meta:GraphApi:MaxRetryAttempts")]
    [InlineData(200, 100, 11, "Meta:GraphApi:MaxRetryAttempts")]
    public void Validate_OutOfRange_FailsNamingTheSetting(int callsPerHour, int pageSize, int retries, string setting) =>
        AssertFailsNaming(new GraphApiOptions { CallsPerHourPerAccount = callsPerHour, PageSize = pageSize, MaxRetryAttempts = retries }, setting);

    [Fact]
    public void Validate_ZeroAttemptTimeout_FailsNamingTheSetting() =>
        AssertFailsNaming(new GraphApiOptions { AttemptTimeout = TimeSpan.Zero }, "Meta:GraphApi:AttemptTimeout");

    [Fact]
    public void Validate_UnresolvedKeyVaultReference_FailsNamingTheTokenKeyWithoutTheValue()
    {
        const string reference = "@Microsoft.KeyVault(SecretUri=https://vault.example/secrets/graph-token)";

        var result = new GraphApiOptionsValidator().Validate(null, new GraphApiOptions { AccessToken = reference });

        OptionsAssert.FailsNaming(result, "Meta:GraphApi:AccessToken");
        Assert.DoesNotContain("graph-token", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoToken_SucceedsAndIsNotConfigured()
    {
        var options = new GraphApiOptions();

        Assert.True(new GraphApiOptionsValidator().Validate(null, options).Succeeded);
        Assert.False(options.IsConfigured);
        Assert.True(new GraphApiOptions { AccessToken = "EAAG-token" }.IsConfigured);
    }

    [Fact]
    public void ToString_WithToken_DoesNotShowIt()
    {
        var options = new GraphApiOptions { AccessToken = "EAAG-secret-token-value" };

        Assert.DoesNotContain("EAAG-secret-token-value", options.ToString(), StringComparison.Ordinal);
    }
}
