-- Issue 15: a delivery's write-back moves its row from pending to delivered, and every index that holds state for every
-- row moved with it (one delete and one insert in each of six indexes, under the write lock, for every delivery). Each
-- index now holds only the rows its queries read: the dead, the held (dead or blocked), the open or the finished ones.
-- A delivery now touches the open-row indexes (one delete each) and the finished rows' index (one insert).
-- Nothing reads these two since the claim walks ix_outbox_claimable (0240).
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
-- The backlog by connector (count and oldest) reads the claim's index alone: it carries created_at and state (a row's
-- state changes while it is open only when a non-idempotent call is marked in flight, which moved its entry anyway).
DROP INDEX ix_outbox_claimable;
CREATE INDEX ix_outbox_claimable ON outbox (connector, seq, created_at, state) WHERE state IN ('pending', 'in_flight');
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
