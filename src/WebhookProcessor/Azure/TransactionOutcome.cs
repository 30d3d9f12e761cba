namespace WebhookProcessor.Azure;

/// <summary>Whether a transaction was applied; when refused, the index of the action the service refused, if it said.</summary>
internal readonly record struct TransactionOutcome(bool Succeeded, int? FailedIndex);
