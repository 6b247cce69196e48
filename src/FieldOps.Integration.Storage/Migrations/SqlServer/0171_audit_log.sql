-- SQL Server twin of 0171: who did what, when, from the operations page.
CREATE TABLE audit_log (
    id      BIGINT         IDENTITY(1, 1) NOT NULL CONSTRAINT pk_audit_log PRIMARY KEY,
    at      BIGINT         NOT NULL,
    actor   NVARCHAR(MAX)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    action  NVARCHAR(100)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    target  NVARCHAR(MAX)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    detail  NVARCHAR(MAX)  COLLATE Latin1_General_100_BIN2 NULL
);

-- The operations page counts the last hour's attempts per connector.
CREATE INDEX ix_outbox_attempt_started ON outbox_attempt (started_at);
