using System.Text.Json;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>One message the stand-in kept.</summary>
public sealed record FakeServiceBusMessage(
    string Entity,
    string? MessageId,
    string Body,
    string? ContentType,
    JsonElement BrokerProperties,
    IReadOnlyDictionary<string, string> UserProperties,
    bool FromBatch);
