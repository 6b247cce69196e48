-- SQL Server twin of 0120: the answers of flows' enrich reads, one row per (inbox event, flow/step); no foreign key.
CREATE TABLE event_enrichment (
    inbox_event_id  BIGINT         NOT NULL,
    step_key        NVARCHAR(400)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    answer          NVARCHAR(MAX)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    read_at         BIGINT         NOT NULL,
    CONSTRAINT pk_event_enrichment PRIMARY KEY (inbox_event_id, step_key)
);

-- The echo check looks cross-references up by the id the target assigned.
CREATE INDEX ix_xref_target ON xref (system, object_type, target_id);
