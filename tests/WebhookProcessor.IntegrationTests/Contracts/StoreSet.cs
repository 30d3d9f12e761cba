using WebhookProcessor.Catalog;
using WebhookProcessor.Notifications;
using WebhookProcessor.Queue;

namespace WebhookProcessor.IntegrationTests.Contracts;

/// <summary>One implementation's stores, sharing one database (or account), as the service wires them.</summary>
/// <param name="AddDeadLettersAsync">How this implementation records dead letters (the SQLite queue at intake, the dead-letter table on Azure).</param>
public sealed record StoreSet(
    ITemplateStore Templates,
    INotificationStore Notifications,
    IQueueMonitor Monitor,
    Func<IReadOnlyList<DeadLetter>, Task> AddDeadLettersAsync,
    Func<Task> DisposeAsync);
