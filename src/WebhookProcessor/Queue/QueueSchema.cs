namespace WebhookProcessor.Queue;

internal static class QueueSchema
{
    // Times are Unix milliseconds. message_id is the event id. It is deliberately not UNIQUE here: an
    // index on a random 128-bit key would dirty a different page for every webhook and multiply what
    // each group commit writes and fsyncs. A change queued twice is harmless, because history is
    // insert-first on the same id and the second delivery changes nothing.
    public const string Create = """
        CREATE TABLE IF NOT EXISTS messages (
            seq            INTEGER PRIMARY KEY,
            message_id     TEXT    NOT NULL,
            waba_id        TEXT    NOT NULL,
            field          TEXT    NOT NULL,
            entry_time     INTEGER NULL,
            received_at    INTEGER NOT NULL,
            body           TEXT    NOT NULL,
            enqueued_at    INTEGER NOT NULL,
            visible_at     INTEGER NOT NULL,
            delivery_count INTEGER NOT NULL DEFAULT 0,
            lease_token    TEXT    NULL,
            last_error     TEXT    NULL,
            trace_parent   TEXT    NULL
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

    /// <summary>The W3C trace context a change was queued under (added after the first release: files made before get it on open).</summary>
    public const string TraceParentColumn = "trace_parent";
}
