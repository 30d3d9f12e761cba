using Microsoft.Extensions.Logging;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

public sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);
