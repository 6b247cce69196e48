-- Which process did what, for an admin running several on one database: the instance id (Instance:Name, process id,
-- random part) that made each delivery attempt and that ran a source's last poll. NULL for rows written before.
ALTER TABLE outbox_attempt ADD instance NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NULL;
ALTER TABLE source_watermark ADD last_run_by NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NULL;
