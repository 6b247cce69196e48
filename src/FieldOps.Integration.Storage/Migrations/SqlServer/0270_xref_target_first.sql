-- Issue 15: PostgreSQL's planner took ix_xref_target for lookups by source id before the table had statistics (see the
-- PostgreSQL twin). SQLite and SQL Server choose the primary key, whose three columns the lookup names. Nothing to change.
SELECT 1;
