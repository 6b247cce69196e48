-- Issue 15: SQL Server twin of 0260 (filtered indexes: the same WHERE clauses as the SQLite one). A delivery's
-- write-back moved its row in every index that held state for every row; each index now holds only the rows its
-- queries read: the dead, the held (dead or blocked), the open or the finished ones.
DROP INDEX ix_outbox_due ON outbox;
DROP INDEX ix_outbox_claim ON outbox;
-- The dead letters: listed newest first (by seq), grouped and filtered by connector, flow and class, newest reason.
DROP INDEX ix_outbox_state_seq ON outbox;
DROP INDEX ix_outbox_dead ON outbox;
CREATE INDEX ix_outbox_dead_seq ON outbox (seq) WHERE state = 'dead';
CREATE INDEX ix_outbox_dead ON outbox (connector, flow, dead_class, completed_at) WHERE state = 'dead';
-- The held rows counted by connector and state (the operations page and the metrics).
DROP INDEX ix_outbox_backlog ON outbox;
CREATE INDEX ix_outbox_held ON outbox (connector, state) WHERE state IN ('dead', 'blocked');
-- The backlog by connector (count and oldest): the claim's index, carrying created_at.
DROP INDEX ix_outbox_claimable ON outbox;
CREATE INDEX ix_outbox_claimable ON outbox (connector, seq) INCLUDE (created_at) WHERE state IN ('pending', 'in_flight');
-- Retention: the finished rows, oldest first.
DROP INDEX ix_outbox_completed ON outbox;
CREATE INDEX ix_outbox_finished ON outbox (completed_at) WHERE state IN ('delivered', 'discarded');
-- Indexes whose keys arrive in random order cost the most: each new row dirties a page of its own in each. A key's rows
-- are read only while they are unfinished, which ix_outbox_partition_open (0240) holds; the operator's lookups by target
-- or source id read only rows that have one.
DROP INDEX ix_outbox_partition ON outbox;
DROP INDEX ix_outbox_xref_source ON outbox;
CREATE INDEX ix_outbox_xref_source ON outbox (xref_source_id) WHERE xref_source_id IS NOT NULL;
DROP INDEX ix_outbox_target ON outbox;
CREATE INDEX ix_outbox_target ON outbox (target_id) WHERE target_id IS NOT NULL;
