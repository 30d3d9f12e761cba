using Azure;
using WebhookProcessor.Azure;

namespace WebhookProcessor.UnitTests.Azure;

public sealed class PermanentStoreFailureTests
{
    [Theory]
    [InlineData(400, "EntityTooLarge")]
    [InlineData(400, "PropertyValueTooLarge")]
    [InlineData(413, "RequestBodyTooLarge")]
    [InlineData(400, "TooManyProperties")]
    public void Describe_TableSizeErrors_ArePermanentAndNamed(int status, string code)
    {
        var why = PermanentStoreFailure.Describe(new RequestFailedException(status, "refused", code, null));

        Assert.NotNull(why);
        Assert.Contains(code, why, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_SizeErrorWrapped_IsFound()
    {
        var inner = new RequestFailedException(400, "refused", "EntityTooLarge", null);

        Assert.NotNull(PermanentStoreFailure.Describe(new InvalidOperationException("the transaction failed", inner)));
    }

    [Theory]
    [InlineData(503, "ServerBusy")]
    [InlineData(500, "InternalError")]
    [InlineData(403, "AuthorizationFailure")]
    [InlineData(404, "TableNotFound")]
    [InlineData(400, "OutOfRangeInput")]
    public void Describe_OtherServiceErrors_MayPass(int status, string code)
    {
        Assert.Null(PermanentStoreFailure.Describe(new RequestFailedException(status, "failed", code, null)));
    }

    [Fact]
    public void Describe_NotAServiceError_MayPass()
    {
        Assert.Null(PermanentStoreFailure.Describe(new TimeoutException("no answer")));
        Assert.Null(PermanentStoreFailure.Describe(new RequestFailedException("no code")));
    }
}
