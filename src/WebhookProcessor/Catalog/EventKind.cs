namespace WebhookProcessor.Catalog;

public enum EventKind
{
    /// <summary><c>message_template_status_update</c>.</summary>
    Status,

    /// <summary><c>template_category_update</c> announcing a change that has not happened yet.</summary>
    CategoryChangePending,

    /// <summary><c>template_category_update</c> reporting a change that has happened.</summary>
    CategoryChanged,

    /// <summary><c>message_template_quality_update</c>.</summary>
    Quality,

    /// <summary><c>message_template_components_update</c> (the template was edited).</summary>
    Components,

    /// <summary><c>template_correct_category_detection</c> (Utility Direct Send).</summary>
    CorrectCategoryDetected,

    /// <summary>A field this version does not interpret; kept verbatim in history.</summary>
    Unknown,

    /// <summary>Reconciliation: the Graph API lists a template the catalog did not know; the event carries its whole state. Alerts nobody.</summary>
    Discovered,

    /// <summary>Reconciliation: a complete listing no longer contains a template the catalog holds. Alerts nobody.</summary>
    Deleted,

    /// <summary>
    /// Reconciliation: the catalog shows a pending category change whose time has passed (or was never
    /// known), and the Graph API shows none and the old category: the change did not happen. Alerts nobody.
    /// </summary>
    PendingChangeCleared,
}
