using WebhookProcessor.Azure;
using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.UnitTests.Azure;

public sealed class TableRowKeysTests
{
    [Fact]
    public void ReconciliationRun_Ids_SortInReverseAsRowKeys()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 200)
            .Select(i => ReconciliationRunIds.New(start.AddMilliseconds(i % 7 * 999_983)))
            .Append("20260101T000000000Z-00000000")
            .Append("20260101T000000000Z-ffffffff")
            .Distinct()
            .ToList();

        var byRowKey = ids.OrderBy(id => TableRowKeys.ReconciliationRun(id), StringComparer.Ordinal);

        Assert.Equal(ids.OrderDescending(StringComparer.Ordinal), byRowKey);
        Assert.All(ids, id => Assert.True(TableKey.IsValid(TableRowKeys.ReconciliationRun(id)!)));
    }

    [Fact]
    public void ReconciliationRun_KnownId_ComplementsEveryDigit()
    {
        Assert.Equal("79737868T929492957Z-f5e4d3c2", TableRowKeys.ReconciliationRun("20262131T070507042Z-0a1b2c3d"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("run-a")]
    [InlineData("20261130T070507042Z-0A1B2C3D")]
    public void ReconciliationRun_MalformedId_HasNoRowKey(string id)
    {
        Assert.Null(TableRowKeys.ReconciliationRun(id));
    }
}
