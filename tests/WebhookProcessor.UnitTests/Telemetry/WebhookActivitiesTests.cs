using System.Diagnostics;
using WebhookProcessor.Telemetry;

namespace WebhookProcessor.UnitTests.Telemetry;

public sealed class WebhookActivitiesTests
{
    [Fact]
    public void ContextOf_StoredTraceparent_IsTheRemoteParent()
    {
        var context = WebhookActivities.ContextOf("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        Assert.Equal(
            ("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", ActivityTraceFlags.Recorded, true),
            (context.TraceId.ToHexString(), context.SpanId.ToHexString(), context.TraceFlags, context.IsRemote));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-traceparent")]
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01")]
    public void ContextOf_NothingUsable_IsNoParent(string? stored) =>
        Assert.Equal(default, WebhookActivities.ContextOf(stored));

    [Fact]
    public void TraceParentOf_W3CActivity_IsItsId()
    {
        using var activity = new Activity("x");
        activity.SetIdFormat(ActivityIdFormat.W3C);
        activity.Start();

        Assert.Equal(activity.Id, WebhookActivities.TraceParentOf(activity));
        Assert.Null(WebhookActivities.TraceParentOf(null));
    }
}
