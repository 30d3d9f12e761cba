namespace WebhookProcessor.Notifications;

/// <summary>Owners and the outbox live in the catalog's SQLite file, so alerts commit with their events.</summary>
internal static class NotificationSchema
{
    // Times are Unix milliseconds.
    public const string Create = """
        CREATE TABLE IF NOT EXISTS owners (
            owner_id   TEXT    PRIMARY KEY,
            document   TEXT    NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS notifications (
            seq             INTEGER PRIMARY KEY AUTOINCREMENT,
            notification_id TEXT    NOT NULL UNIQUE,
            event_id        TEXT    NOT NULL,
            kind            TEXT    NOT NULL,
            waba_id         TEXT    NOT NULL,
            template_id     INTEGER NULL,
            channel         TEXT    NULL,
            recipient       TEXT    NULL,
            owner_id        TEXT    NULL,
            owner_name      TEXT    NULL,
            language        TEXT    NOT NULL,
            facts           TEXT    NOT NULL,
            status          TEXT    NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            last_error      TEXT    NULL,
            created_at      INTEGER NOT NULL,
            next_attempt_at INTEGER NULL,
            sent_at         INTEGER NULL,
            updated_at      INTEGER NOT NULL,
            trace_parent    TEXT    NULL
        );
        CREATE INDEX IF NOT EXISTS ix_notifications_due ON notifications (status, channel, next_attempt_at);
        CREATE INDEX IF NOT EXISTS ix_notifications_template ON notifications (template_id, seq);
        """;

    public const string Columns = "seq, notification_id, channel, recipient, owner_id, owner_name, language, facts, status, attempts, last_error, created_at, next_attempt_at, sent_at, trace_parent";

    /// <summary>The W3C trace context of the commit that planned the alert (added later: older files get it on open).</summary>
    public const string TraceParentColumn = "trace_parent";
}
