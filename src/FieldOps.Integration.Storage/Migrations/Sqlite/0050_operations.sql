-- Operator surface: dead-letter listing and grouping, the operator's actions on rows, and re-route lineage.

-- The outcome class of a dead letter (the text before the first ':' of dead_reason: Permanent, Transient,
-- OutcomeUnknown, UnresolvedXref, ...), computed so the dispatcher's write-back stays as it is.
ALTER TABLE outbox ADD COLUMN dead_class TEXT GENERATED ALWAYS AS (
    CASE WHEN instr(dead_reason, ':') > 0 THEN substr(dead_reason, 1, instr(dead_reason, ':') - 1) END) VIRTUAL;

-- A re-routed row names the row it replaces (same event, flow and operation key, older mapping revision).
ALTER TABLE outbox ADD COLUMN replay_of TEXT;

-- Listing and grouping dead letters by connector, flow and class over a time range; the backlog per connector.
CREATE INDEX ix_outbox_dead ON outbox (state, connector, flow, dead_class, completed_at);
CREATE INDEX ix_outbox_backlog ON outbox (state, connector, created_at);

-- What an operator did to a row: replay, discard, supersede (re-route); the state and reason before it.
CREATE TABLE outbox_action (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    outbox_id        TEXT    NOT NULL REFERENCES outbox (id),
    action           TEXT    NOT NULL,                      -- replay | discard | superseded | rerouted
    at               INTEGER NOT NULL,
    previous_state   TEXT    NOT NULL,
    previous_reason  TEXT,
    attempts_before  INTEGER NOT NULL,
    note             TEXT,                                  -- the operator's reason, or the row that replaces this one
    related_id       TEXT                                   -- the other row of a re-route
);
CREATE INDEX ix_outbox_action_outbox ON outbox_action (outbox_id, id);
