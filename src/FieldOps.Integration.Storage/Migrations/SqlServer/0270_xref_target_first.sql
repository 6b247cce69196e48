-- Issue 15: PostgreSQL's planner took ix_xref_target for lookups by source id before the table had statistics (see the
-- PostgreSQL twin). SQLite chooses the primary key for them (CrossReferenceQueryPlanTests); SQL Server is not measured
-- here and is left as it is.
SELECT 1;
