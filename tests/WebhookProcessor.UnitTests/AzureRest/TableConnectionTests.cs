using WebhookProcessor.AzureRest.Tables;

namespace WebhookProcessor.UnitTests.AzureRest;

public sealed class TableConnectionTests
{
    private const string Key = "c2VjcmV0LWtleS1ieXRlcw==";

    [Fact]
    public void Parse_AccountAndKey_BuildsTheCloudEndpoint()
    {
        var connection = TableConnection.Parse($"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={Key};EndpointSuffix=core.windows.net");

        Assert.Equal(new Uri("https://acct.table.core.windows.net"), connection.Endpoint);
        Assert.Equal("acct", connection.AccountName);
        Assert.Equal(Convert.FromBase64String(Key), connection.AccountKey);
    }

    [Fact]
    public void Parse_OtherSuffixAndDefaults_UsesThem()
    {
        Assert.Equal(new Uri("https://acct.table.core.chinacloudapi.cn"), TableConnection.Parse($"AccountName=acct;AccountKey={Key};EndpointSuffix=core.chinacloudapi.cn").Endpoint);
        Assert.Equal(new Uri("https://acct.table.core.windows.net"), TableConnection.Parse($" accountname = acct ; accountkey = {Key} ;").Endpoint);
    }

    [Fact]
    public void Parse_TableEndpoint_WinsOverTheSuffix()
    {
        var connection = TableConnection.Parse($"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};TableEndpoint=http://127.0.0.1:12345/devstoreaccount1/;");

        Assert.Equal(new Uri("http://127.0.0.1:12345/devstoreaccount1"), connection.Endpoint);
    }

    [Fact]
    public void Parse_UseDevelopmentStorage_IsAzuriteOnItsDefaultPort()
    {
        var connection = TableConnection.Parse("UseDevelopmentStorage=true");

        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), connection.Endpoint);
        Assert.Equal("devstoreaccount1", connection.AccountName);
        Assert.Equal(Convert.FromBase64String(TableConnection.DevelopmentAccountKey), connection.AccountKey);
    }

    [Theory]
    [InlineData("AccountName=acct", "AccountKey")]
    [InlineData("AccountKey=c2VjcmV0", "AccountName")]
    [InlineData("AccountName=acct;AccountKey=not*base64!", "base64")]
    [InlineData("AccountName=acct;AccountKey=c2VjcmV0;TableEndpoint=nope", "TableEndpoint")]
    [InlineData("TableEndpoint=https://x;SharedAccessSignature=sv=1&sig=abc", "SAS")]
    [InlineData("garbage", "name=value")]
    public void Parse_Invalid_NamesTheProblemButNotTheSecret(string connectionString, string expected)
    {
        var error = Assert.Throws<FormatException>(() => TableConnection.Parse(connectionString));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=abc", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_WithAccountKey_DoesNotShowTheKey()
    {
        Assert.DoesNotContain(Key, TableConnection.Parse($"AccountName=acct;AccountKey={Key}").ToString(), StringComparison.Ordinal);
    }
}
