-- SQL Server twin of 0050: dead-letter listing and grouping, the operator's actions on rows, and re-route lineage.

-- The outcome class of a dead letter (the text before the first ':' of dead_reason), computed and persisted so it
-- can be indexed; bounded to 200 characters (an index key must be bounded).
ALTER TABLE outbox ADD dead_class AS CAST(
    CASE WHEN CHARINDEX(':', dead_reason) > 0 THEN LEFT(dead_reason, CHARINDEX(':', dead_reason) - 1) END
    AS NVARCHAR(200)) COLLATE Latin1_General_100_BIN2 PERSISTED;

-- A re-routed row names the row it replaces.
ALTER TABLE outbox ADD replay_of NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NULL;
GO

CREATE INDEX ix_outbox_state_seq ON outbox (state, seq);
CREATE INDEX ix_outbox_dead ON outbox (state, connector, flow, dead_class, completed_at);
CREATE INDEX ix_outbox_backlog ON outbox (state, connector, created_at);

CREATE TABLE outbox_action (
    id               BIGINT         IDENTITY(1, 1) NOT NULL CONSTRAINT pk_outbox_action PRIMARY KEY,
    outbox_id        NVARCHAR(100)  COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT fk_outbox_action_outbox REFERENCES outbox (id),
    action           NVARCHAR(100)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    at               BIGINT         NOT NULL,
    previous_state   NVARCHAR(40)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    previous_reason  NVARCHAR(MAX)  COLLATE Latin1_General_100_BIN2 NULL,
    attempts_before  INT            NOT NULL,
    note             NVARCHAR(MAX)  COLLATE Latin1_General_100_BIN2 NULL,
    related_id       NVARCHAR(100)  COLLATE Latin1_General_100_BIN2 NULL
);
CREATE INDEX ix_outbox_action_outbox ON outbox_action (outbox_id, id);
