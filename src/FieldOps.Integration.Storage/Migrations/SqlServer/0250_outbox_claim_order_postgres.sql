-- Issue 15: PostgreSQL's planner walked ux_outbox_seq for the dispatcher's claim (see the PostgreSQL twin). SQLite
-- and SQL Server use ix_outbox_claimable (connector, seq) of 0240 as meant (OutboxQueryPlanTests). Nothing to change.
SELECT 1;
