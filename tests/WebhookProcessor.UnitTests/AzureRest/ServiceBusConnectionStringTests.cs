using WebhookProcessor.AzureRest.ServiceBus;

namespace WebhookProcessor.UnitTests.AzureRest;

public sealed class ServiceBusConnectionStringTests
{
    private const string Key = "abc+def/ghi==";

    [Fact]
    public void Parse_FullString_ReadsEveryPart()
    {
        var parsed = ServiceBusConnectionString.Parse(
            $"Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=send-only;SharedAccessKey={Key};EntityPath=template-events");

        Assert.Equal("contoso.servicebus.windows.net", parsed.FullyQualifiedNamespace);
        Assert.Equal("send-only", parsed.SharedAccessKeyName);
        Assert.Equal(Key, parsed.SharedAccessKey);
        Assert.Equal("template-events", parsed.EntityPath);
    }

    [Fact]
    public void Parse_AnyOrderCaseAndSpacesWithoutEntity_Reads()
    {
        var parsed = ServiceBusConnectionString.Parse($" sharedaccesskey = {Key} ; ENDPOINT=sb://127.0.0.1:5000/ ;SharedAccessKeyName=k;");

        Assert.Equal("127.0.0.1:5000", parsed.FullyQualifiedNamespace);
        Assert.Equal(Key, parsed.SharedAccessKey);
        Assert.Null(parsed.EntityPath);
    }

    [Theory]
    [InlineData("SharedAccessKeyName=k;SharedAccessKey=" + Key, "Endpoint")]
    [InlineData("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKey=" + Key, "SharedAccessKeyName")]
    [InlineData("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k", "SharedAccessKey")]
    [InlineData("Endpoint=not a uri;SharedAccessKeyName=k;SharedAccessKey=" + Key, "Endpoint")]
    [InlineData("Endpoint=sb://ns/;SharedAccessKeyName=k;SharedAccessKey=" + Key + ";SharedAccessKey=" + Key, "twice")]
    [InlineData("", "empty")]
    public void Parse_Broken_FormatExceptionNamingThePartWithoutTheKey(string connectionString, string named)
    {
        var ex = Assert.Throws<FormatException>(() => ServiceBusConnectionString.Parse(connectionString));

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_WithSharedAccessKey_HidesTheKey()
    {
        var parsed = ServiceBusConnectionString.Parse($"Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey={Key}");

        Assert.DoesNotContain(Key, parsed.ToString(), StringComparison.Ordinal);
        Assert.Contains("SharedAccessKey=***", parsed.ToString(), StringComparison.Ordinal);
    }
}
