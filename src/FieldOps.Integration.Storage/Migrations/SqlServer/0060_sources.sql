-- SQL Server twin of 0060: poll watermarks and per-entity source versions (stale-write and poll/webhook dedup).

CREATE TABLE source_watermark (
    source           NVARCHAR(100)  COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_source_watermark PRIMARY KEY,
    watermark        BIGINT         NULL,
    sweep_since      BIGINT         NULL,
    sweep_cursor     NVARCHAR(MAX)  COLLATE Latin1_General_100_BIN2 NULL,
    sweep_max        BIGINT         NULL,
    sweep_open       BIGINT         NOT NULL CONSTRAINT df_source_watermark_sweep_open DEFAULT 0,
    last_run_at      BIGINT         NULL,
    last_success_at  BIGINT         NULL,
    last_error       NVARCHAR(MAX)  COLLATE Latin1_General_100_BIN2 NULL,
    last_error_at    BIGINT         NULL,
    records_total    BIGINT         NOT NULL CONSTRAINT df_source_watermark_records_total DEFAULT 0,
    updated_at       BIGINT         NOT NULL
);

-- The key is nonclustered (an index key may hold 1700 bytes then, 900 when clustered); the rows are clustered by
-- the time they were recorded, the order retention deletes them in.
CREATE TABLE entity_version (
    source          NVARCHAR(100)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    entity_type     NVARCHAR(100)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    entity_id       NVARCHAR(250)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    source_version  BIGINT         NOT NULL,
    topic           NVARCHAR(150)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    inbox_event_id  BIGINT         NOT NULL,
    recorded_at     BIGINT         NOT NULL,
    CONSTRAINT pk_entity_version PRIMARY KEY NONCLUSTERED (source, entity_type, entity_id, source_version, topic)
);
CREATE CLUSTERED INDEX ix_entity_version_recorded ON entity_version (recorded_at);
CREATE INDEX ix_outbox_completed ON outbox (state, completed_at);
CREATE INDEX ix_inbox_routed ON inbox (state, routed_at);
