-- SQL Server twin of 0113: the refresh token before the current one, and when an unfinished refresh began.
ALTER TABLE credential ADD
    previous_refresh_token  NVARCHAR(MAX) COLLATE Latin1_General_100_BIN2 NULL,
    refresh_started_at      BIGINT NULL;
