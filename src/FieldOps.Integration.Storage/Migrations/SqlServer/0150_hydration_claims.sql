-- SQL Server twin of 0150: events registered under their entity; the entity row holds the coalescing window and the
-- lease of the one process fetching it; attempts per event; a throttle pause stored with the source.
ALTER TABLE inbox ADD
    hydration_key       NVARCHAR(400) COLLATE Latin1_General_100_BIN2 NULL,
    hydration_seen_at   BIGINT NULL,
    hydration_attempts  INT NOT NULL CONSTRAINT df_inbox_hydration_attempts DEFAULT 0;
GO
CREATE INDEX ix_inbox_hydration_key ON inbox (hydration_key) WHERE hydration_key IS NOT NULL;

CREATE TABLE hydration_entity (
    id             BIGINT        IDENTITY(1, 1) NOT NULL CONSTRAINT pk_hydration_entity PRIMARY KEY,
    entity_key     NVARCHAR(400) COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT ux_hydration_entity_key UNIQUE,
    source         NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
    entity_type    NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
    entity_id      NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
    first_seen_at  BIGINT        NOT NULL,
    due_at         BIGINT        NOT NULL,
    retry_at       BIGINT        NULL,
    lease_owner    NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NULL,
    lease_until    BIGINT        NULL
);
CREATE INDEX ix_hydration_entity_due ON hydration_entity (due_at);

ALTER TABLE source_watermark ADD hydration_paused_until BIGINT NULL;
