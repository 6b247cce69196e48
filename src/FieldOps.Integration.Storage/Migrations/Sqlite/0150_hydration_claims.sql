-- Hydration shared by every process on one database (issue 23). An event awaiting hydration is registered under its
-- entity (hydration_key = 'source:type:id'); the entity row carries the coalescing window (due_at) and the lease of
-- the one process fetching it, so a burst spread over several processes costs one fetch. Attempts are counted per
-- event, and a THROTTLED answer pauses the source for every process (hydration_paused_until).
ALTER TABLE inbox ADD COLUMN hydration_key TEXT;
ALTER TABLE inbox ADD COLUMN hydration_seen_at INTEGER;
ALTER TABLE inbox ADD COLUMN hydration_attempts INTEGER NOT NULL DEFAULT 0;
CREATE INDEX ix_inbox_hydration_key ON inbox (hydration_key) WHERE hydration_key IS NOT NULL;

CREATE TABLE hydration_entity (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    entity_key     TEXT    NOT NULL UNIQUE,
    source         TEXT    NOT NULL,
    entity_type    TEXT    NOT NULL,
    entity_id      TEXT    NOT NULL,
    first_seen_at  INTEGER NOT NULL,     -- the first waiting event's registration
    due_at         INTEGER NOT NULL,     -- fetch once the burst is quiet (debounce), capped by first_seen_at + max delay
    retry_at       INTEGER,              -- after a failed or throttled fetch: the backoff, which new events do not shorten
    lease_owner    TEXT,                 -- the instance fetching it
    lease_until    INTEGER
);
CREATE INDEX ix_hydration_entity_due ON hydration_entity (due_at);

ALTER TABLE source_watermark ADD COLUMN hydration_paused_until INTEGER;
