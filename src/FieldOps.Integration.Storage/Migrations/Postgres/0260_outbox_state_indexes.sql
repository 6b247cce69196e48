-- Issue 15: a delivery's write-back moves its row from pending to delivered, and every index that held state for every
-- row took a new entry for it. Each index now holds only the rows its queries read: the dead, the held (dead or
-- blocked), the open or the finished ones (as the SQLite twin). The claim keeps ix_outbox_open_seq (0250).
DROP INDEX ix_outbox_due;
DROP INDEX ix_outbox_claim;
-- The dead letters: listed newest first (by seq), grouped and filtered by connector, flow and class, newest reason.
DROP INDEX ix_outbox_state_seq;
DROP INDEX ix_outbox_dead;
CREATE INDEX ix_outbox_dead_seq ON outbox (seq) WHERE state = 'dead';
CREATE INDEX ix_outbox_dead ON outbox (connector, flow, dead_class, completed_at) WHERE state = 'dead';
-- The held rows counted by connector and state (the operations page and the metrics).
DROP INDEX ix_outbox_backlog;
CREATE INDEX ix_outbox_held ON outbox (connector, state) WHERE state IN ('dead', 'blocked');
-- The backlog by connector (count and oldest), and the sweep that blocks rows routed behind a dead letter.
CREATE INDEX ix_outbox_backlog ON outbox (connector, created_at) WHERE state IN ('pending', 'in_flight');
-- Retention: the finished rows, oldest first.
DROP INDEX ix_outbox_completed;
CREATE INDEX ix_outbox_finished ON outbox (completed_at) WHERE state IN ('delivered', 'discarded');
-- Indexes whose keys arrive in random order cost the most: each new row dirties a page of its own in each, and the
-- router's commits wrote ~280-490 KB per job-completed event. A key's rows are read only while they are unfinished
-- (the claim's order check, blocking and releasing the rows behind a dead letter), which ix_outbox_partition_open
-- (0240) holds; the operator's lookups by target or source id read only rows that have one.
DROP INDEX ix_outbox_partition;
DROP INDEX ix_outbox_xref_source;
CREATE INDEX ix_outbox_xref_source ON outbox (xref_source_id) WHERE xref_source_id IS NOT NULL;
DROP INDEX ix_outbox_target;
CREATE INDEX ix_outbox_target ON outbox (target_id) WHERE target_id IS NOT NULL;
