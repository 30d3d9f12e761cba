using Microsoft.Extensions.Options;
using WebhookProcessor.Catalog;
using WebhookProcessor.Notifications;

namespace WebhookProcessor.Reconciliation;

/// <summary>Reconciles one account against the Graph API through the one decision (work in progress).</summary>
public sealed partial class AccountReconciler(
    GraphApiClient graph,
    ITemplateStore catalog,
    INotificationStore notifications,
    IOptions<NotificationOptions> alertOptions,
    IOptions<ReconciliationOptions> options,
    AlertSignals alertSignals,
    TimeProvider clock,
    ILogger<AccountReconciler> logger) : IAccountReconciler
{
    public Task<AccountReconciliation> ReconcileAsync(string wabaId, string runId, bool bootstrap, Action<AccountReconciliation>? progress, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{graph}{catalog}{notifications}{alertOptions}{options}{alertSignals}{clock}{logger}");

    public Task<AccountReconciliation> ReconcileOverdueAsync(string wabaId, string runId, CancellationToken cancellationToken) =>
        throw new NotSupportedException();
}
