namespace WebhookProcessor.Ops;

/// <summary>An account in <c>/healthz</c>: when its last reconciliation succeeded (null: never).</summary>
public sealed record ReconciledAccountDto(string WabaId, DateTime? LastSucceededAt);
