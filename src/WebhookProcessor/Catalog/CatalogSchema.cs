namespace WebhookProcessor.Catalog;

internal static class CatalogSchema
{
    // Times are Unix milliseconds. event_id UNIQUE is what makes history insert-first idempotent.
    public const string Create = """
        CREATE TABLE IF NOT EXISTS events (
            seq                      INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id                 TEXT    NOT NULL UNIQUE,
            waba_id                  TEXT    NOT NULL,
            template_id              INTEGER NULL,
            template_name            TEXT    NULL,
            language                 TEXT    NULL,
            field                    TEXT    NOT NULL,
            kind                     TEXT    NOT NULL,
            event                    TEXT    NULL,
            reason                   TEXT    NULL,
            category                 TEXT    NULL,
            previous_category        TEXT    NULL,
            new_category             TEXT    NULL,
            correct_category         TEXT    NULL,
            effective_at             INTEGER NULL,
            previous_quality         TEXT    NULL,
            new_quality              TEXT    NULL,
            other_info_title         TEXT    NULL,
            other_info_description   TEXT    NULL,
            disable_date             INTEGER NULL,
            rejection_reason         TEXT    NULL,
            rejection_recommendation TEXT    NULL,
            occurred_at              INTEGER NOT NULL,
            received_at              INTEGER NOT NULL,
            processed_at             INTEGER NOT NULL,
            catalog_applied          INTEGER NOT NULL,
            raw                      TEXT    NOT NULL,
            source                   TEXT    NOT NULL DEFAULT 'webhook'
        );
        CREATE INDEX IF NOT EXISTS ix_events_time ON events (occurred_at, seq);
        CREATE INDEX IF NOT EXISTS ix_events_waba ON events (waba_id, occurred_at, seq);
        CREATE INDEX IF NOT EXISTS ix_events_template ON events (template_id, occurred_at, seq);
        CREATE TABLE IF NOT EXISTS templates (
            template_id               INTEGER PRIMARY KEY,
            waba_id                   TEXT    NOT NULL,
            name                      TEXT    NULL,
            language                  TEXT    NULL,
            status                    TEXT    NULL,
            last_status_event         TEXT    NULL,
            status_before_archive     TEXT    NULL,
            status_at                 INTEGER NULL,
            category                  TEXT    NULL,
            category_at               INTEGER NULL,
            pending_from              TEXT    NULL,
            pending_to                TEXT    NULL,
            pending_effective_at      INTEGER NULL,
            pending_announced_at      INTEGER NULL,
            detected_correct_category TEXT    NULL,
            quality_score             TEXT    NULL,
            quality_at                INTEGER NULL,
            last_reason               TEXT    NULL,
            rejection_reason          TEXT    NULL,
            rejection_recommendation  TEXT    NULL,
            status_info_title         TEXT    NULL,
            status_info_description   TEXT    NULL,
            disable_date              INTEGER NULL,
            edit_count                INTEGER NOT NULL,
            last_edited_at            INTEGER NULL,
            first_seen_at             INTEGER NOT NULL,
            last_event_at             INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_templates_waba ON templates (waba_id, template_id);
        """;

    public static readonly string[] EventColumns =
    [
        "event_id", "waba_id", "template_id", "template_name", "language", "field", "kind", "event", "reason",
        "category", "previous_category", "new_category", "correct_category", "effective_at", "previous_quality",
        "new_quality", "other_info_title", "other_info_description", "disable_date", "rejection_reason",
        "rejection_recommendation", "occurred_at", "received_at", "processed_at", "catalog_applied", "source", "raw",
    ];

    /// <summary>
    /// The source column as files made before events had a source get it; the default makes their rows
    /// read as the webhooks they were.
    /// </summary>
    public const string SourceColumnDefinition = "TEXT NOT NULL DEFAULT 'webhook'";

    public static readonly string[] TemplateColumns =
    [
        "template_id", "waba_id", "name", "language", "status", "last_status_event", "status_before_archive", "status_at",
        "category", "category_at", "pending_from", "pending_to", "pending_effective_at", "pending_announced_at",
        "detected_correct_category", "quality_score", "quality_at", "last_reason", "rejection_reason",
        "rejection_recommendation", "status_info_title", "status_info_description", "disable_date", "edit_count",
        "last_edited_at", "first_seen_at", "last_event_at",
    ];
}
