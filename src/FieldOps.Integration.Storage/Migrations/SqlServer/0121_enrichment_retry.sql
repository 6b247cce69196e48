-- SQL Server twin of 0121: failed enrich reads per event and when to read again.
CREATE TABLE enrichment_retry (
    inbox_event_id   BIGINT  NOT NULL CONSTRAINT pk_enrichment_retry PRIMARY KEY,
    attempts         INT     NOT NULL,
    next_attempt_at  BIGINT  NOT NULL
);

CREATE INDEX ix_enrichment_retry_due ON enrichment_retry (next_attempt_at);
