-- Events whose enrich read failed in a way that may pass (an outage, a timeout, throttling) wait in inbox state
-- 'awaiting_enrichment'; this table counts their failed reads and says when to read again. The router hands a due
-- event back as 'new'; after the last attempt it is parked. Retention deletes a row with its event.
CREATE TABLE enrichment_retry (
    inbox_event_id   BIGINT  NOT NULL PRIMARY KEY,
    attempts         INTEGER NOT NULL,
    next_attempt_at  BIGINT  NOT NULL
);

CREATE INDEX ix_enrichment_retry_due ON enrichment_retry (next_attempt_at);
