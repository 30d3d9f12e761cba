namespace WebhookProcessor.Ops;

/// <summary>The answer to <c>POST /api/reconciliations</c>: the new run, which <c>GET /api/reconciliations/{id}</c> follows.</summary>
public sealed record ReconciliationStartedDto(string Id, string Status);
