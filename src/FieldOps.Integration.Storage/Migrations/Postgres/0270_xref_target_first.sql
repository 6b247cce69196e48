-- Issue 15: a cross-reference lookup by source id (every delivery that fills an $xref placeholder, ~6 a job) took
-- ix_xref_target (system, object_type, target_id) before the table had statistics: both indexes matched the lookup's
-- first two columns, and the planner walked every row of the system and object type to filter on source_id — 0.35 ms at
-- 12,000 rows and linear in the table (pg_stat_statements over two 2,000-job drains that ran before autovacuum analysed
-- it: 9.5 of 25.9 s and 7.0 of 19.4 s of statement time, 0.5-0.9 ms a lookup); the primary key answers in 0.02 ms. Led
-- by target_id, the echo check's index still serves its own lookup (system, object type and target id, all equal) and
-- no longer looks like one for a source id.
DROP INDEX ix_xref_target;
CREATE INDEX ix_xref_target ON xref (target_id, system, object_type);
