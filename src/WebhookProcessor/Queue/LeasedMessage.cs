namespace WebhookProcessor.Queue;

/// <summary>A change handed to the worker; it reappears after the visibility timeout unless completed.</summary>
public sealed record LeasedMessage(long Sequence, string LeaseToken, int DeliveryCount, ChangeMessage Message);
