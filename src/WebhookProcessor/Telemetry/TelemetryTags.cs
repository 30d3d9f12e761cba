namespace WebhookProcessor.Telemetry;

/// <summary>
/// Attribute names on spans and metrics. Messaging attributes follow the OpenTelemetry semantic
/// conventions; the rest are this service's own, under <c>whatsapp.</c> (what Meta sent) and
/// <c>webhookprocessor.</c> (what the service did). None of them ever holds a secret, a signature, an
/// e-mail address or a Teams URL: recipients are named by the alert's id and channel only.
/// </summary>
public static class TelemetryTags
{
    public const string MessagingSystem = "messaging.system";
    public const string MessagingOperationType = "messaging.operation.type";
    public const string MessagingDestination = "messaging.destination.name";
    public const string MessagingBatchCount = "messaging.batch.message_count";
    public const string ErrorType = "error.type";

    /// <summary>The WhatsApp Business Account id (<c>entry.id</c>).</summary>
    public const string WabaId = "whatsapp.business_account.id";
    public const string TemplateId = "whatsapp.template.id";

    /// <summary>The subscribed webhook field (<c>message_template_status_update</c>, …).</summary>
    public const string Field = "whatsapp.webhook.field";

    /// <summary>Meta's <c>event</c> value of a status update (<c>APPROVED</c>, <c>REJECTED</c>, …).</summary>
    public const string TemplateEvent = "whatsapp.template.event";

    public const string EventId = "webhookprocessor.event.id";
    public const string EventKind = "webhookprocessor.event.kind";
    public const string EventResult = "webhookprocessor.event.result";
    public const string EventSource = "webhookprocessor.event.source";
    public const string WebhookOutcome = "webhookprocessor.webhook.outcome";
    public const string DeadLetterCount = "webhookprocessor.webhook.dead_letters";
    public const string AlertId = "webhookprocessor.alert.id";
    public const string AlertKind = "webhookprocessor.alert.kind";
    public const string AlertChannel = "webhookprocessor.alert.channel";
    public const string AlertAttempt = "webhookprocessor.alert.attempt";
    public const string AlertOutcome = "webhookprocessor.alert.outcome";
    public const string ReconciliationRun = "webhookprocessor.reconciliation.run";

    /// <summary>On the catalog commit span: seconds from the webhook's receipt to the commit (a number, for percentiles over spans).</summary>
    public const string ProcessingLag = "webhookprocessor.processing.lag";

    // Metric dimensions: short, low-cardinality names, as an operator types them in a query.
    public const string Outcome = "outcome";
    public const string Kind = "kind";
    public const string Result = "result";
    public const string Source = "source";
    public const string Channel = "channel";
    public const string State = "state";
}
