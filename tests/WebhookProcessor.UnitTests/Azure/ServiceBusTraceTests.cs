using WebhookProcessor.Azure;

namespace WebhookProcessor.UnitTests.Azure;

public sealed class ServiceBusTraceTests
{
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    [Fact]
    public void Write_TraceParent_SetsTraceparentAndDiagnosticId()
    {
        var properties = new Dictionary<string, object>();

        ServiceBusTrace.Write(properties, TraceParent);

        Assert.Equal((TraceParent, TraceParent), (properties["traceparent"], properties["Diagnostic-Id"]));
    }

    [Fact]
    public void Write_NoTraceParent_SetsNothing()
    {
        var properties = new Dictionary<string, object>();

        ServiceBusTrace.Write(properties, null);

        Assert.Empty(properties);
    }

    [Fact]
    public void Read_OnlyDiagnosticId_TakesIt() =>
        Assert.Equal(TraceParent, ServiceBusTrace.Read(new Dictionary<string, object> { ["Diagnostic-Id"] = TraceParent }));

    [Fact]
    public void Read_HierarchicalDiagnosticIdOrGarbage_IsNull()
    {
        Assert.Null(ServiceBusTrace.Read(new Dictionary<string, object> { ["Diagnostic-Id"] = "|abc.1." }));
        Assert.Null(ServiceBusTrace.Read(new Dictionary<string, string?> { ["traceparent"] = "garbage" }));
    }
}
