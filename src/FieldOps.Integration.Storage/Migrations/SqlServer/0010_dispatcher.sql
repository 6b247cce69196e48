-- SQL Server twin of 0010: lease columns' companions, the attempts history and OAuth credentials (ciphertext only).

ALTER TABLE outbox ADD
    dead_reason      NVARCHAR(MAX) COLLATE Latin1_General_100_BIN2 NULL,
    xref_wait_since  BIGINT NULL;
CREATE INDEX ix_outbox_claim ON outbox (connector, state, next_attempt_at, seq);

CREATE TABLE outbox_attempt (
    id                BIGINT         IDENTITY(1, 1) NOT NULL CONSTRAINT pk_outbox_attempt PRIMARY KEY,
    outbox_id         NVARCHAR(100)  COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT fk_outbox_attempt_outbox REFERENCES outbox (id),
    attempt           INT            NOT NULL,
    started_at        BIGINT         NOT NULL,
    duration_ms       BIGINT         NOT NULL,
    outcome           NVARCHAR(100)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    status_code       BIGINT         NULL,
    message           NVARCHAR(MAX)  COLLATE Latin1_General_100_BIN2 NULL,
    response_excerpt  NVARCHAR(MAX)  COLLATE Latin1_General_100_BIN2 NULL
);
CREATE INDEX ix_outbox_attempt_outbox ON outbox_attempt (outbox_id, id);

CREATE TABLE credential (
    connection     NVARCHAR(200)  COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_credential PRIMARY KEY,
    access_token   NVARCHAR(MAX)  COLLATE Latin1_General_100_BIN2 NULL,
    refresh_token  NVARCHAR(MAX)  COLLATE Latin1_General_100_BIN2 NULL,
    properties     NVARCHAR(MAX)  COLLATE Latin1_General_100_BIN2 NULL,
    issued_at      BIGINT         NULL,
    expires_at     BIGINT         NULL,
    broken_reason  NVARCHAR(MAX)  COLLATE Latin1_General_100_BIN2 NULL,
    lease_owner    NVARCHAR(200)  COLLATE Latin1_General_100_BIN2 NULL,
    lease_until    BIGINT         NULL,
    updated_at     BIGINT         NOT NULL
);
