-- The targets' own schemas read online by `fieldops validate --online` (Salesforce describe, HubSpot properties), one
-- row per connector and object, with the time it was fetched: `--offline` checks against these without a call.
CREATE TABLE target_schema_cache (
    connector    TEXT   NOT NULL,
    object_type  TEXT   NOT NULL,
    body         TEXT   NOT NULL,
    fetched_at   BIGINT NOT NULL,
    PRIMARY KEY (connector, object_type)
);
