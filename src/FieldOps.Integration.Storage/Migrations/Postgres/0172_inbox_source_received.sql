-- The operations page counts each source's inbox events and finds the newest from this index alone.
CREATE INDEX ix_inbox_source_received ON inbox (source, received_at);
