-- SQL Server twin of 0172: each source's inbox events counted and the newest found from this index alone.
CREATE INDEX ix_inbox_source_received ON inbox (source, received_at);
