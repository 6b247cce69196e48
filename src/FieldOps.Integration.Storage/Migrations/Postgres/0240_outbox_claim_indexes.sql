-- Issue 15: the statements that run under the write lock read only what they need, whatever the outbox's size.
-- The claim walks the connector's open rows in seq order and stops at its limit (before: every due row of the connector
-- was read, checked and sorted, 16–35 ms at a backlog of 10,000 rows, while the intake waited for the lock).
CREATE INDEX ix_outbox_claimable ON outbox (connector, seq) WHERE state IN ('pending', 'in_flight');
-- The claim's "no older open row of the key" check reads only the key's open rows, not its whole delivered history.
CREATE INDEX ix_outbox_partition_open ON outbox (partition_key, seq) WHERE state IN ('pending', 'in_flight', 'dead', 'blocked');
-- The dead letters, by key: the sweep that blocks rows routed behind one starts from them.
CREATE INDEX ix_outbox_dead_key ON outbox (partition_key, seq) WHERE state = 'dead';
-- Lease renewal and the lease count read the owner's leased rows only (before: a scan of the whole outbox).
CREATE INDEX ix_outbox_leased ON outbox (lease_owner) WHERE lease_owner IS NOT NULL;
