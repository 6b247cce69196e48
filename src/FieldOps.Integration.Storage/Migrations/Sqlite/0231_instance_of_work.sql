-- Which process did what, for an admin running several on one database: the instance id (Instance:Name, process id,
-- random part) that made each delivery attempt and that ran a source's last poll. NULL for rows written before.
ALTER TABLE outbox_attempt ADD COLUMN instance TEXT;
ALTER TABLE source_watermark ADD COLUMN last_run_by TEXT;
