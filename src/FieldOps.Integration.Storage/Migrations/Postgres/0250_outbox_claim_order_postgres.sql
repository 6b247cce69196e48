-- Issue 15: the claim's candidates are the connector's open rows in seq order. PostgreSQL did not use
-- ix_outbox_claimable (connector, seq) of 0240 for it: it costs an index's heap visits by the correlation of its first
-- column, and connector has next to none, so the walk along ux_outbox_seq (correlation 1) looked cheaper — and read
-- every delivered row before the first open one (73 ms against 0.8 ms at 30,000 delivered and 20,000 open rows, after
-- ANALYZE; without statistics it read and sorted every due row of the connector, 60 ms). This index leads with seq,
-- holds the open rows only and carries the connector, so the walk is in seq order over open rows and the connector is
-- checked in the index.
CREATE INDEX ix_outbox_open_seq ON outbox (seq, connector) WHERE state IN ('pending', 'in_flight');
DROP INDEX ix_outbox_claimable;
