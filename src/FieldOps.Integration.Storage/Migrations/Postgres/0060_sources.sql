-- Sources: poll watermarks and per-entity source versions (stale-write and poll/webhook dedup).

-- One row per polled source. A sweep reads "changed since sweep_since" page by page; each page's inbox rows and
-- the cursor to the next page commit in one transaction, so a crash resumes at the page after the last commit.
-- When the last page commits, watermark becomes the newest version the sweep saw and the sweep columns clear.
CREATE TABLE source_watermark (
    source           TEXT    PRIMARY KEY,
    watermark        BIGINT ,                  -- everything changed up to here is in the inbox (unix ms)
    sweep_since      BIGINT ,                  -- the running sweep's "changed since"; null when no sweep is open
    sweep_cursor     TEXT,                     -- the next page's cursor or page number; null: the first page
    sweep_max        BIGINT ,                  -- the newest version the running sweep has committed
    sweep_open       BIGINT  NOT NULL DEFAULT 0,
    last_run_at      BIGINT ,
    last_success_at  BIGINT ,
    last_error       TEXT,
    last_error_at    BIGINT ,
    records_total    BIGINT  NOT NULL DEFAULT 0,
    updated_at       BIGINT  NOT NULL
);

-- The versions of each entity that were accepted for routing, per topic: an older version than the newest is
-- stale; the same (entity, version, topic) again is a duplicate (a poll and a webhook of one change).
CREATE TABLE entity_version (
    source          TEXT    NOT NULL,
    entity_type     TEXT    NOT NULL,
    entity_id       TEXT    NOT NULL,
    source_version  BIGINT  NOT NULL,          -- the entity's updatedAt, unix ms
    topic           TEXT    NOT NULL,
    inbox_event_id  BIGINT  NOT NULL,
    recorded_at     BIGINT  NOT NULL,
    PRIMARY KEY (source, entity_type, entity_id, source_version, topic)
);
CREATE INDEX ix_entity_version_recorded ON entity_version (recorded_at);
CREATE INDEX ix_outbox_completed ON outbox (state, completed_at);
CREATE INDEX ix_inbox_routed ON inbox (state, routed_at);
