-- Quartz.NET's clustered job store shares the poll and housekeeping schedule among several processes on PostgreSQL and
-- SQL Server (see the twins of this migration). SQLite is one process by design: Quartz keeps its schedule in memory
-- there, and the watermarks it needs are in our own tables. Nothing to create.
SELECT 1;
