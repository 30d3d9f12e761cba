using Azure.Data.Tables;
using WebhookProcessor.Azure;

namespace WebhookProcessor.UnitTests.Azure;

public sealed class TableLargePropertyTests
{
    [Fact]
    public void SetString_SmallValue_StaysInOneProperty()
    {
        var entity = new TableEntity("p", "r");

        TableLargeProperty.SetString(entity, "Body", "small");

        Assert.Equal(["Body"], entity.Keys.Where(k => !TableValues.IsSystem(k)));
        Assert.Equal("small", TableLargeProperty.GetString(entity, "Body"));
    }

    [Fact]
    public void SetString_SurrogatePairAtAChunkBoundary_IsNotCut()
    {
        var text = new string('a', TableLargeProperty.MaxStringChars - 1) + "😀" + new string('b', 10);
        var entity = new TableEntity("p", "r");

        TableLargeProperty.SetString(entity, "Body", text);

        Assert.Equal(2, entity.GetInt32("Body__n"));
        Assert.False(char.IsHighSurrogate(entity.GetString("Body__0")![^1]));
        Assert.Equal(text, TableLargeProperty.GetString(entity, "Body"));
    }

    [Fact]
    public void SetString_AgainWithAShorterValue_LeavesNoStaleChunks()
    {
        var entity = new TableEntity("p", "r");
        TableLargeProperty.SetString(entity, "Body", new string('x', 100_000));

        TableLargeProperty.SetString(entity, "Body", "short");

        Assert.Equal(["Body"], entity.Keys.Where(k => !TableValues.IsSystem(k)));
    }

    [Fact]
    public void SetBinary_ThreeChunks_RoundTrips()
    {
        var bytes = Enumerable.Range(0, (2 * TableLargeProperty.MaxBinaryBytes) + 5).Select(i => (byte)i).ToArray();
        var entity = new TableEntity("p", "r");

        TableLargeProperty.SetBinary(entity, "Data", bytes);

        Assert.Equal(3, entity.GetInt32("Data__n"));
        Assert.Equal(bytes, TableLargeProperty.GetBinary(entity, "Data"));
    }

    [Fact]
    public void SetBinary_OverTheEntityLimit_Throws()
    {
        // Azurite measures the JSON body, where binary is base64: 800 KB of bytes is over 1 MiB there.
        var error = Assert.Throws<TableEntityTooLargeException>(() => TableLargeProperty.SetBinary(new TableEntity("p", "r"), "Data", new byte[800_000]));

        Assert.True(error.SizeBytes > TableLargeProperty.MaxEntityBytes);
    }
}
