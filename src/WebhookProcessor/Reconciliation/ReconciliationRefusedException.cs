namespace WebhookProcessor.Reconciliation;

/// <summary>
/// A run was asked for and cannot start: no Graph API token, or the one account asked for is being
/// reconciled by another run. Nothing was stored; the message says what to do and names no secret.
/// </summary>
public sealed class ReconciliationRefusedException : InvalidOperationException
{
    public ReconciliationRefusedException()
    {
    }

    public ReconciliationRefusedException(string message)
        : base(message)
    {
    }

    public ReconciliationRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The run that holds the account asked for; null when the refusal has another cause.</summary>
    public string? HeldByRunId { get; init; }

    public static ReconciliationRefusedException NotConfigured() =>
        new("Reconciliation is off: Meta:GraphApi:AccessToken is not set. Set it to a system-user token with whatsapp_business_management.");

    public static ReconciliationRefusedException Held(string wabaId, string runId) =>
        new($"Account {wabaId} is being reconciled by run {runId}; one run at a time per account. GET /api/reconciliations/{runId} shows it.") { HeldByRunId = runId };
}
