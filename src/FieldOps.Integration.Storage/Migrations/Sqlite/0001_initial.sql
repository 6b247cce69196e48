-- Times are milliseconds since the Unix epoch (UTC) in every provider: cheap to compare and index.

CREATE TABLE inbox (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    source        TEXT    NOT NULL,
    dedup_key     TEXT    NOT NULL,
    received_at   INTEGER NOT NULL,
    content_type  TEXT,
    headers       TEXT    NOT NULL,            -- JSON object of the headers worth keeping
    body          BLOB    NOT NULL,            -- the raw bytes exactly as received
    payload       TEXT,                        -- the JSON document when it differs from the body (form field)
    state         TEXT    NOT NULL DEFAULT 'new',
    state_reason  TEXT,
    routed_at     INTEGER,
    UNIQUE (source, dedup_key)
);
CREATE INDEX ix_inbox_state ON inbox (state, id);

-- One row per target operation. The router writes them; the dispatcher claims and completes them.
CREATE TABLE outbox (
    id                TEXT    PRIMARY KEY,     -- hash(inbox event, flow, operation key, mapping revision)
    seq               INTEGER NOT NULL,        -- order of writing; FIFO within a partition key
    inbox_event_id    INTEGER NOT NULL REFERENCES inbox (id),
    flow              TEXT    NOT NULL,
    operation_key     TEXT    NOT NULL,        -- the operation's name within its flow
    mapping_revision  TEXT    NOT NULL,
    connector         TEXT    NOT NULL,
    connection        TEXT    NOT NULL DEFAULT 'default',
    operation         TEXT    NOT NULL,        -- upsert | create | update | send | note | log-time
    object_type       TEXT    NOT NULL,
    idempotency_key   TEXT    NOT NULL,        -- vendor idempotency key, from the business entity
    partition_key     TEXT    NOT NULL,
    payload           TEXT    NOT NULL,        -- JSON; may hold $xref placeholders
    xref_source_id    TEXT,                    -- on delivery, xref(connector, object_type, this) = target id
    source_file       TEXT,                    -- the mapping file the operation came from
    state             TEXT    NOT NULL DEFAULT 'pending',
    attempts          INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    first_attempt_at  INTEGER,
    next_attempt_at   INTEGER NOT NULL,
    lease_owner       TEXT,
    lease_until       INTEGER,
    completed_at      INTEGER,
    target_id         TEXT,
    last_outcome      TEXT,
    last_error        TEXT
);
CREATE UNIQUE INDEX ux_outbox_seq ON outbox (seq);
CREATE INDEX ix_outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX ix_outbox_partition ON outbox (partition_key, seq);
CREATE INDEX ix_outbox_inbox ON outbox (inbox_event_id);

-- Ids the targets assigned: FSM client 42 <-> QuickBooks Customer 58. $xref(system, type, sourceId) reads it.
CREATE TABLE xref (
    system       TEXT    NOT NULL,             -- connector name, e.g. quickbooks
    object_type  TEXT    NOT NULL,             -- e.g. Customer
    source_id    TEXT    NOT NULL,             -- the id in the field-service system
    target_id    TEXT    NOT NULL,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (system, object_type, source_id)
);
