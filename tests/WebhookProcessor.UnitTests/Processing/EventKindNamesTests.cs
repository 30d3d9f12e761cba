using WebhookProcessor.Catalog;
using WebhookProcessor.Processing;

namespace WebhookProcessor.UnitTests.Processing;

public sealed class EventKindNamesTests
{
    [Theory]
    [InlineData(EventKind.Status, "status")]
    [InlineData(EventKind.CategoryChangePending, "category-change-pending")]
    [InlineData(EventKind.CategoryChanged, "category-changed")]
    [InlineData(EventKind.Quality, "quality")]
    [InlineData(EventKind.Components, "components")]
    [InlineData(EventKind.CorrectCategoryDetected, "correct-category-detected")]
    [InlineData(EventKind.Unknown, "unknown")]
    public void ToApiName_Kind_RoundTripsThroughFromApiName(EventKind kind, string name)
    {
        Assert.Equal(name, kind.ToApiName());
        Assert.Equal(kind, EventKindNames.FromApiName(name));
    }

    [Theory]
    [InlineData("Status")]
    [InlineData("category_changed")]
    [InlineData("")]
    public void FromApiName_UnknownName_ReturnsNull(string name)
    {
        Assert.Null(EventKindNames.FromApiName(name));
    }
}
