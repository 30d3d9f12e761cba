namespace WebhookProcessor.Ops;

/// <summary>The optional body of <c>POST /api/reconciliations</c>: one account, or every known account when absent.</summary>
public sealed record ReconciliationRequest(string? WabaId);
