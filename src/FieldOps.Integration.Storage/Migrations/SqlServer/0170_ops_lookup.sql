-- SQL Server twin of 0170: find an event by the id the target assigned or by the field-service entity id.
CREATE INDEX ix_outbox_target ON outbox (target_id);
CREATE INDEX ix_entity_version_entity ON entity_version (entity_id);
CREATE INDEX ix_outbox_xref_source ON outbox (xref_source_id);
