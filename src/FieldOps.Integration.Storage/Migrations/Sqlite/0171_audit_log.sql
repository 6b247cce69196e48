-- Who did what, when, from the operations page: one row per confirmed action (replay, discard, re-route, rewind).
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      INTEGER NOT NULL,          -- unix ms
    actor   TEXT    NOT NULL,          -- the name given at login, and where from
    action  TEXT    NOT NULL,          -- replay | replay-group | discard | reroute | rewind
    target  TEXT    NOT NULL,          -- the row, group, event or source acted on
    detail  TEXT                       -- the outcome and the operator's reason
);

-- The operations page counts the last hour's attempts per connector.
CREATE INDEX ix_outbox_attempt_started ON outbox_attempt (started_at);
