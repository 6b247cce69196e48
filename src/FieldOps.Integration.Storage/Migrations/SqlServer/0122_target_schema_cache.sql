-- SQL Server twin of 0122: the targets' schemas read online, one row per connector and object.
CREATE TABLE target_schema_cache (
    connector    NVARCHAR(100)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    object_type  NVARCHAR(200)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    body         NVARCHAR(MAX)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    fetched_at   BIGINT         NOT NULL,
    CONSTRAINT pk_target_schema_cache PRIMARY KEY (connector, object_type)
);
