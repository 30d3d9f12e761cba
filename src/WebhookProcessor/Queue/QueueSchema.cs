namespace WebhookProcessor.Queue;

internal static class QueueSchema
{
    // Times are Unix milliseconds. message_id is the event id: UNIQUE makes a change that is already
    // waiting a no-op on insert, the same way Service Bus duplicate detection drops a repeated MessageId.
    public const string Create = """
        CREATE TABLE IF NOT EXISTS messages (
            seq            INTEGER PRIMARY KEY AUTOINCREMENT,
            message_id     TEXT    NOT NULL UNIQUE,
            waba_id        TEXT    NOT NULL,
            field          TEXT    NOT NULL,
            entry_time     INTEGER NULL,
            received_at    INTEGER NOT NULL,
            body           TEXT    NOT NULL,
            enqueued_at    INTEGER NOT NULL,
            visible_at     INTEGER NOT NULL,
            delivery_count INTEGER NOT NULL DEFAULT 0,
            lease_token    TEXT    NULL,
            last_error     TEXT    NULL
        );
        CREATE INDEX IF NOT EXISTS ix_messages_visible ON messages (visible_at, seq);
        CREATE TABLE IF NOT EXISTS dead_letters (
            id               INTEGER PRIMARY KEY AUTOINCREMENT,
            message_id       TEXT    NULL,
            source           TEXT    NOT NULL,
            reason           TEXT    NOT NULL,
            received_at      INTEGER NOT NULL,
            dead_lettered_at INTEGER NOT NULL,
            body             BLOB    NOT NULL,
            waba_id          TEXT    NULL,
            field            TEXT    NULL,
            delivery_count   INTEGER NOT NULL DEFAULT 0
        );
        """;
}
