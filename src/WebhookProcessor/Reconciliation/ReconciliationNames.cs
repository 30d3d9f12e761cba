namespace WebhookProcessor.Reconciliation;

/// <summary>
/// The lower-case API names of <see cref="ReconciliationStatus"/> and <see cref="AccountRunStatus"/>, which
/// are also how the stores keep them. A stored name this version does not know fails the read rather than
/// being guessed at, so a run written by a newer version is never shown as something it is not.
/// </summary>
public static class ReconciliationNames
{
    public static string ToApiName(this ReconciliationStatus status) => status switch
    {
        ReconciliationStatus.Running => "running",
        ReconciliationStatus.Succeeded => "succeeded",
        ReconciliationStatus.Failed => "failed",
        ReconciliationStatus.Partial => "partial",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a reconciliation status."),
    };

    public static string ToApiName(this AccountRunStatus status) => status switch
    {
        AccountRunStatus.Running => "running",
        AccountRunStatus.Succeeded => "succeeded",
        AccountRunStatus.Failed => "failed",
        AccountRunStatus.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not an account run status."),
    };

    /// <exception cref="InvalidDataException">The name is not one <see cref="ToApiName(ReconciliationStatus)"/> makes.</exception>
    public static ReconciliationStatus RunStatusFromStored(string? name) => name switch
    {
        "running" => ReconciliationStatus.Running,
        "succeeded" => ReconciliationStatus.Succeeded,
        "failed" => ReconciliationStatus.Failed,
        "partial" => ReconciliationStatus.Partial,
        _ => throw new InvalidDataException($"Unknown reconciliation status '{name}' in a stored run."),
    };

    /// <exception cref="InvalidDataException">The name is not one <see cref="ToApiName(AccountRunStatus)"/> makes.</exception>
    public static AccountRunStatus AccountStatusFromStored(string? name) => name switch
    {
        "running" => AccountRunStatus.Running,
        "succeeded" => AccountRunStatus.Succeeded,
        "failed" => AccountRunStatus.Failed,
        "skipped" => AccountRunStatus.Skipped,
        _ => throw new InvalidDataException($"Unknown account status '{name}' in a stored run."),
    };
}
