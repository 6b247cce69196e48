-- The answers of flows' enrich reads (a connector read a flow makes before it writes), kept with the inbox event so
-- a retry, a crash before the routing commit or a re-route never reads twice. Key: the event and '{flow}/{step}'.
-- No foreign key: retention deletes the answers of events it has deleted.
CREATE TABLE event_enrichment (
    inbox_event_id  BIGINT NOT NULL,
    step_key        TEXT   NOT NULL,
    answer          TEXT   NOT NULL,
    read_at         BIGINT NOT NULL,
    PRIMARY KEY (inbox_event_id, step_key)
);

-- The echo check looks cross-references up by the id the target assigned (did the hub write this record?).
CREATE INDEX ix_xref_target ON xref (system, object_type, target_id);
