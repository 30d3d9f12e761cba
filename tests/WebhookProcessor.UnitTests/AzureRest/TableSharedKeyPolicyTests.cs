using WebhookProcessor.AzureRest.Tables;

namespace WebhookProcessor.UnitTests.AzureRest;

public sealed class TableSharedKeyPolicyTests
{
    private const string Date = "Mon, 01 Jun 2026 12:00:00 GMT";

    [Fact]
    public void StringToSign_PathStyleEndpoint_RepeatsTheAccountAndDropsTheQuery()
    {
        var uri = new Uri("http://127.0.0.1:10002/devstoreaccount1/events(PartitionKey='a',RowKey='b')?$select=N");

        var text = TableSharedKeyPolicy.StringToSign(Date, "devstoreaccount1", uri);

        Assert.Equal("Mon, 01 Jun 2026 12:00:00 GMT\n/devstoreaccount1/devstoreaccount1/events(PartitionKey='a',RowKey='b')", text);
    }

    [Fact]
    public void StringToSign_CompParameter_IsKept()
    {
        var text = TableSharedKeyPolicy.StringToSign(Date, "myaccount", new Uri("https://myaccount.table.core.windows.net/?restype=service&comp=properties"));

        Assert.Equal("Mon, 01 Jun 2026 12:00:00 GMT\n/myaccount/?comp=properties", text);
    }

    [Fact]
    public void Sign_KnownStringToSign_MatchesAnIndependentHmac()
    {
        // Expected values computed with Python's hmac module over the same inputs.
        var key = Convert.FromBase64String(TableConnection.DevelopmentAccountKey);

        Assert.Equal(
            "b0koFJ+ILvZhSZffLRCaIlXktn0JJIgOEQugXzVsYk4=",
            TableSharedKeyPolicy.Sign(key, "Mon, 01 Jun 2026 12:00:00 GMT\n/devstoreaccount1/devstoreaccount1/events(PartitionKey='a',RowKey='b')"));
        Assert.Equal(
            "2AxUlkaT4nLqtmaRPxEFKc53RCrJ2fea9aDZUtoVz/E=",
            TableSharedKeyPolicy.Sign(key, TableSharedKeyPolicy.StringToSign(Date, "myaccount", new Uri("https://myaccount.table.core.windows.net/Tables"))));
    }
}
