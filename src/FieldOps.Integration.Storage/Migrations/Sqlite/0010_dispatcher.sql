-- Dispatcher: lease-based claims, dead letters, attempts history, and OAuth credentials (encrypted at rest).
-- outbox.state: pending | in_flight (a non-idempotent call may have started) | delivered | dead | blocked | discarded.

ALTER TABLE outbox ADD COLUMN dead_reason TEXT;            -- outcome class, the target's text, flow and source file
ALTER TABLE outbox ADD COLUMN xref_wait_since INTEGER;     -- first time an $xref placeholder was still unresolved
CREATE INDEX ix_outbox_claim ON outbox (connector, state, next_attempt_at, seq);

CREATE TABLE outbox_attempt (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    outbox_id      TEXT    NOT NULL REFERENCES outbox (id),
    attempt        INTEGER NOT NULL,
    started_at     INTEGER NOT NULL,
    duration_ms    INTEGER NOT NULL,
    outcome        TEXT    NOT NULL,                        -- OutcomeKind
    status_code    INTEGER,
    message        TEXT,                                    -- the target's words, bounded
    response_excerpt TEXT                                   -- bounded, secrets removed
);
CREATE INDEX ix_outbox_attempt_outbox ON outbox_attempt (outbox_id, id);

-- One row per named connection ("quickbooks:default"). Token columns hold Data Protection ciphertext only.
CREATE TABLE credential (
    connection     TEXT    PRIMARY KEY,
    access_token   TEXT,
    refresh_token  TEXT,
    properties     TEXT,                                    -- protected JSON object
    issued_at      INTEGER,
    expires_at     INTEGER,
    broken_reason  TEXT,                                    -- set on invalid_grant / invalid_client; clears on a good refresh
    lease_owner    TEXT,                                    -- the one refresh in flight
    lease_until    INTEGER,
    updated_at     INTEGER NOT NULL
);
