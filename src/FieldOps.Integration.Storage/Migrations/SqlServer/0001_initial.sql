-- SQL Server twin of 0001 (the PostgreSQL and SQLite files are the reference; keep the three in step).
-- Times are milliseconds since the Unix epoch (UTC) in BIGINT, as in the other providers: the code compares and
-- stores numbers everywhere, so datetimeoffset is not used. Generated ids are BIGINT IDENTITY.
-- Every text column is NVARCHAR with the binary collation Latin1_General_100_BIN2: keys compare case- and
-- accent-sensitively, as in SQLite and PostgreSQL (a server's default collation is usually case-insensitive, which
-- would make 'A' and 'a' one dedup key). Indexed columns are bounded (an index key holds at most 900 bytes when
-- clustered, 1700 when nonclustered); free text is NVARCHAR(MAX).

CREATE TABLE inbox (
    id            BIGINT          IDENTITY(1, 1) NOT NULL CONSTRAINT pk_inbox PRIMARY KEY,
    source        NVARCHAR(100)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    dedup_key     NVARCHAR(400)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    received_at   BIGINT          NOT NULL,
    content_type  NVARCHAR(200)   COLLATE Latin1_General_100_BIN2 NULL,
    headers       NVARCHAR(MAX)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    body          VARBINARY(MAX)  NOT NULL,
    payload       NVARCHAR(MAX)   COLLATE Latin1_General_100_BIN2 NULL,
    state         NVARCHAR(40)    COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT df_inbox_state DEFAULT 'new',
    state_reason  NVARCHAR(MAX)   COLLATE Latin1_General_100_BIN2 NULL,
    routed_at     BIGINT          NULL,
    CONSTRAINT ux_inbox_dedup UNIQUE (source, dedup_key)
);
CREATE INDEX ix_inbox_state ON inbox (state, id);

-- The batch ends after the sequence: the outbox table's default names it.
CREATE SEQUENCE outbox_seq AS BIGINT START WITH 1 INCREMENT BY 1;
GO

CREATE TABLE outbox (
    id                NVARCHAR(100)  COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_outbox PRIMARY KEY,
    seq               BIGINT         NOT NULL CONSTRAINT df_outbox_seq DEFAULT (NEXT VALUE FOR outbox_seq),
    inbox_event_id    BIGINT         NOT NULL CONSTRAINT fk_outbox_inbox REFERENCES inbox (id),
    flow              NVARCHAR(200)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    operation_key     NVARCHAR(200)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    mapping_revision  NVARCHAR(100)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    connector         NVARCHAR(100)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    connection        NVARCHAR(200)  COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT df_outbox_connection DEFAULT 'default',
    operation         NVARCHAR(100)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    object_type       NVARCHAR(100)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    idempotency_key   NVARCHAR(MAX)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    partition_key     NVARCHAR(400)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    payload           NVARCHAR(MAX)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    xref_source_id    NVARCHAR(400)  COLLATE Latin1_General_100_BIN2 NULL,
    source_file       NVARCHAR(MAX)  COLLATE Latin1_General_100_BIN2 NULL,
    state             NVARCHAR(40)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT df_outbox_state DEFAULT 'pending',
    attempts          INT            NOT NULL CONSTRAINT df_outbox_attempts DEFAULT 0,
    created_at        BIGINT         NOT NULL,
    first_attempt_at  BIGINT         NULL,
    next_attempt_at   BIGINT         NOT NULL,
    lease_owner       NVARCHAR(200)  COLLATE Latin1_General_100_BIN2 NULL,
    lease_until       BIGINT         NULL,
    completed_at      BIGINT         NULL,
    target_id         NVARCHAR(400)  COLLATE Latin1_General_100_BIN2 NULL,
    last_outcome      NVARCHAR(100)  COLLATE Latin1_General_100_BIN2 NULL,
    last_error        NVARCHAR(MAX)  COLLATE Latin1_General_100_BIN2 NULL
);
CREATE UNIQUE INDEX ux_outbox_seq ON outbox (seq);
CREATE INDEX ix_outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX ix_outbox_partition ON outbox (partition_key, seq);
CREATE INDEX ix_outbox_inbox ON outbox (inbox_event_id);

CREATE TABLE xref (
    system       NVARCHAR(100)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    object_type  NVARCHAR(100)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    source_id    NVARCHAR(250)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    target_id    NVARCHAR(400)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    updated_at   BIGINT         NOT NULL,
    CONSTRAINT pk_xref PRIMARY KEY (system, object_type, source_id)
);
