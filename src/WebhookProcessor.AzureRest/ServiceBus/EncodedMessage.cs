namespace WebhookProcessor.AzureRest.ServiceBus;

/// <summary>A message with its batch entry, encoded once for both the size check and the request.</summary>
internal sealed record EncodedMessage(ServiceBusMessage Message, byte[] Entry);
