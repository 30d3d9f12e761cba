using WebhookProcessor.Reconciliation;
using WebhookProcessor.UnitTests.Support;

namespace WebhookProcessor.UnitTests.Reconciliation;

public sealed class ReconciliationOptionsValidatorTests : ValidatorContract<ReconciliationOptions, ReconciliationOptionsValidator>
{
    [Fact]
    public void Validate_IntervalUnderAMinute_FailsNamingIt() =>
        AssertFailsNaming(new ReconciliationOptions { Interval = TimeSpan.FromSeconds(59) }, "Reconciliation:Interval");

    [Fact]
    public void Validate_OverdueCheckIntervalZero_FailsNamingIt() =>
        AssertFailsNaming(new ReconciliationOptions { OverdueCheckInterval = TimeSpan.Zero }, "Reconciliation:OverdueCheckInterval");

    [Fact]
    public void Validate_NegativeGrace_FailsNamingIt() =>
        AssertFailsNaming(new ReconciliationOptions { OverdueGrace = TimeSpan.FromMinutes(-1) }, "Reconciliation:OverdueGrace");

    [Fact]
    public void Validate_ShortClaim_FailsNamingIt() =>
        AssertFailsNaming(new ReconciliationOptions { ClaimDuration = TimeSpan.FromSeconds(29) }, "Reconciliation:ClaimDuration");

    [Fact]
    public void Validate_BatchSizeZero_FailsNamingIt() =>
        AssertFailsNaming(new ReconciliationOptions { BatchSize = 0 }, "Reconciliation:BatchSize");

    [Fact]
    public void Validate_SmallestAllowedValues_Succeed()
    {
        var options = new ReconciliationOptions
        {
            Interval = TimeSpan.FromMinutes(1),
            OverdueCheckInterval = TimeSpan.FromSeconds(1),
            OverdueGrace = TimeSpan.Zero,
            ClaimDuration = TimeSpan.FromSeconds(30),
            BatchSize = 1,
        };

        Assert.True(new ReconciliationOptionsValidator().Validate(null, options).Succeeded);
    }
}
