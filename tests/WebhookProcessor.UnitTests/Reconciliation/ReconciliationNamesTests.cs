using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.UnitTests.Reconciliation;

public sealed class ReconciliationNamesTests
{
    [Fact]
    public void ToApiName_RunStatuses_AreTheDocumentedLowerCaseNamesAndReadBack()
    {
        var names = Enum.GetValues<ReconciliationStatus>().Select(s => s.ToApiName()).ToList();

        Assert.Equal(["running", "succeeded", "failed", "partial"], names);
        Assert.Equal(Enum.GetValues<ReconciliationStatus>(), names.Select(ReconciliationNames.RunStatusFromStored));
    }

    [Fact]
    public void ToApiName_AccountStatuses_AreTheDocumentedLowerCaseNamesAndReadBack()
    {
        var names = Enum.GetValues<AccountRunStatus>().Select(s => s.ToApiName()).ToList();

        Assert.Equal(["running", "succeeded", "failed", "skipped"], names);
        Assert.Equal(Enum.GetValues<AccountRunStatus>(), names.Select(ReconciliationNames.AccountStatusFromStored));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Running")]
    [InlineData("cancelled")]
    public void FromStored_UnknownName_FailsTheRead(string? name)
    {
        Assert.Throws<InvalidDataException>(() => ReconciliationNames.RunStatusFromStored(name));
        Assert.Throws<InvalidDataException>(() => ReconciliationNames.AccountStatusFromStored(name));
    }

    [Fact]
    public void ToApiName_ValueOutsideTheEnum_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((ReconciliationStatus)99).ToApiName());
        Assert.Throws<ArgumentOutOfRangeException>(() => ((AccountRunStatus)99).ToApiName());
    }
}
