-- SQL Server twin of 0160: the last hydration error and success per source, beside the poll's.
ALTER TABLE source_watermark ADD
    hydration_last_error       NVARCHAR(MAX) COLLATE Latin1_General_100_BIN2 NULL,
    hydration_last_error_at    BIGINT NULL,
    hydration_last_success_at  BIGINT NULL;
