namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>One request as the stand-in saw it.</summary>
public sealed record FakeServiceBusRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body,
    DateTimeOffset ReceivedAt);
